using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.OAuth;
using EmailIntegration.Tests.Infrastructure;

namespace EmailIntegration.Tests.Core.Accounts;

public sealed class ConsentFlowTests : IDisposable
{
    private readonly AppHost host = new();
    private readonly OAuthScenario scenario;

    public ConsentFlowTests() => scenario = new OAuthScenario(host);

    [Theory]
    [InlineData(OAuthProvider.Microsoft)]
    [InlineData(OAuthProvider.Google)]
    public async Task A_consent_connects_the_account_after_IMAP_and_SMTP_accept_the_token(OAuthProvider type)
    {
        var app = await scenario.CreateApplicationAsync(type, "secret-one");
        var mailbox = MailStack.NewMailbox("shared");
        var account = await scenario.CreateAccountAsync(app, mailbox);

        var outcome = await scenario.ConsentAsync(account, mailbox);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Contains(outcome.Check!.Steps, s => s.Name == "IMAP sign-in" && s.Detail.Contains("XOAUTH2", StringComparison.Ordinal));
        Assert.Contains(outcome.Check.Steps, s => s.Name == "SMTP sign-in" && s.Outcome == EmailIntegration.Core.Mail.DiagnosticOutcome.Passed);
        var stored = await host.Get<AccountService>().GetAsync(account);
        Assert.Equal(AccountState.Connected, stored!.State);
        Assert.Equal(mailbox, stored.ConsentedBy);
    }

    public void Dispose()
    {
        scenario.Dispose();
        host.Dispose();
    }
}
