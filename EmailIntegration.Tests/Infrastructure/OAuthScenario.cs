using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.OAuth;
using Microsoft.AspNetCore.WebUtilities;

namespace EmailIntegration.Tests.Infrastructure;

/// <summary>
/// Sets up OAuth2 applications and shared accounts in an App through its services, registered at the
/// stack's identity provider, and consents the way an admin would.
/// </summary>
public sealed class OAuthScenario(AppHost host) : IDisposable
{
    private readonly IdentityProviderClient provider = new();

    public IdentityProviderClient Provider => provider;

    public async Task<Guid> CreateApplicationAsync(OAuthProvider type, string secret, string? clientId = null)
    {
        clientId ??= type == OAuthProvider.Microsoft ? Guid.NewGuid().ToString() : $"{Guid.NewGuid():N}.apps.googleusercontent.com";
        await provider.RegisterClientAsync(clientId, secret);
        var result = await host.Get<OAuthApplicationService>().SaveAsync(null, new OAuthApplicationInput(
            $"{type} {clientId[..8]}", type, type == OAuthProvider.Microsoft ? Guid.NewGuid().ToString() : null, clientId, secret,
            new Uri(host.BaseUri, OAuthProviderOptions.RedirectPath).ToString(), null));
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Values));
        return result.Id!.Value;
    }

    public async Task<Guid> CreateAccountAsync(Guid applicationId, string mailbox)
    {
        var result = await host.Get<AccountService>().SaveAsync(null, new MailAccountInput($"Shared {mailbox}", mailbox, AccountAuthentication.OAuth2, applicationId));
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Values));
        return result.Id!.Value;
    }

    /// <summary>Starts the consent as the given admin, consents at the provider, and finishes it.</summary>
    public async Task<ConsentOutcome> ConsentAsync(Guid accountId, string consentingUser, string adminUserId = "admin-1")
    {
        var consent = host.Get<ConsentService>();
        var start = await consent.StartAsync(accountId, adminUserId);
        var back = await IdentityProviderClient.ConsentAsync(start.AuthorizeUrl, consentingUser);
        var query = QueryHelpers.ParseQuery(back.Query);
        return await consent.CompleteAsync(
            new ConsentCallback(query["state"].ToString(), query["code"].ToString(), null, null), adminUserId, start.Binding);
    }

    /// <summary>A connected account of a new application: the common start of token tests.</summary>
    public async Task<(Guid Application, Guid Account, string Mailbox)> ConnectedAccountAsync(OAuthProvider type, string secret = "secret-one")
    {
        var app = await CreateApplicationAsync(type, secret);
        var mailbox = MailStack.NewMailbox("shared");
        var account = await CreateAccountAsync(app, mailbox);
        var outcome = await ConsentAsync(account, mailbox);
        Assert.True(outcome.Succeeded, outcome.Message);
        return (app, account, mailbox);
    }

    public void Dispose() => provider.Dispose();
}
