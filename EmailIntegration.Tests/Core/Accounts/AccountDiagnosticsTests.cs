using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Import;
using EmailIntegration.Core.Mail;
using EmailIntegration.Core.OAuth;
using EmailIntegration.Core.Settings;
using EmailIntegration.Tests.Infrastructure;
using MimeKit;

namespace EmailIntegration.Tests.Core.Accounts;

public sealed class AccountDiagnosticsTests : IDisposable
{
    private readonly AppHost host = new();
    private readonly OAuthScenario scenario;

    public AccountDiagnosticsTests() => scenario = new OAuthScenario(host);

    [Fact]
    public async Task A_consenting_user_without_access_to_the_shared_mailbox_is_told_so_and_the_account_is_not_connected()
    {
        var app = await scenario.CreateApplicationAsync(OAuthProvider.Microsoft, "secret-one");
        var shared = MailStack.NewMailbox("shared");
        var account = await scenario.CreateAccountAsync(app, shared);

        var outcome = await scenario.ConsentAsync(account, MailStack.NewMailbox("someone-else"));

        Assert.False(outcome.Succeeded);
        var imap = outcome.Check!.Steps.Single(s => s.Name == "IMAP sign-in");
        Assert.Equal(DiagnosticOutcome.Failed, imap.Outcome);
        Assert.Contains("has no access to the shared mailbox", imap.Fix, StringComparison.Ordinal);
        Assert.Equal(DiagnosticOutcome.Skipped, outcome.Check.Steps.Single(s => s.Name == "INBOX").Outcome);
        var stored = await host.Get<AccountService>().GetAsync(account);
        Assert.Equal(AccountState.Failing, stored!.State);
        Assert.Contains("IMAP sign-in", stored.StateReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_with_full_access_connects_the_shared_mailbox_with_their_own_sign_in_and_its_mail_is_imported()
    {
        var app = await scenario.CreateApplicationAsync(OAuthProvider.Microsoft, "secret-one");
        var shared = TestMailbox.New("shared");
        var member = MailStack.NewMailbox("member");
        MailStack.GrantFullAccess(member, shared.Address);
        var account = await scenario.CreateAccountAsync(app, shared.Address);

        var outcome = await scenario.ConsentAsync(account, member);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal(AccountState.Connected, (await host.Get<AccountService>().GetAsync(account))!.State);
        Assert.Empty(await host.Get<SettingsStore>().SaveRuntimeAsync(MailStack.SeedRuntimeConfiguration(account), "test"));
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Customer", "customer@customer.test"));
        message.To.Add(MailboxAddress.Parse(shared.Address));
        message.Subject = "Read through Full Access";
        message.Body = new TextPart("plain") { Text = "Hello" };
        await shared.AppendAsync(message);
        Assert.Equal(1, (await host.Get<ImportService>().ImportAsync(account, ImportTrigger.Manual)).Imported);

        // Someone of the same directory without access is refused, as before.
        var other = await scenario.CreateAccountAsync(app, MailStack.NewMailbox("shared"));
        Assert.False((await scenario.ConsentAsync(other, member)).Succeeded);
    }

    [Fact]
    public async Task A_wrong_password_fails_the_sign_in_steps_with_what_to_check()
    {
        var id = await PasswordAccountAsync("not-the-password", MailStack.ImapsPort);

        var result = await host.Get<AccountChecks>().TestAsync(id);

        Assert.False(result.Passed);
        Assert.Equal(DiagnosticOutcome.Passed, result.Steps.Single(s => s.Name == "IMAP TLS").Outcome);
        var imap = result.Steps.Single(s => s.Name == "IMAP sign-in");
        Assert.Equal(DiagnosticOutcome.Failed, imap.Outcome);
        Assert.Contains("user name and password", imap.Fix, StringComparison.Ordinal);
        Assert.Equal(DiagnosticOutcome.Failed, result.Steps.Single(s => s.Name == "SMTP sign-in").Outcome);
        Assert.Equal(AccountState.Failing, result.State);
    }

    [Fact]
    public async Task A_closed_port_fails_the_connection_step_and_skips_what_depends_on_it()
    {
        var id = await PasswordAccountAsync(MailStack.Password, ClosedPort());

        var result = await host.Get<AccountChecks>().TestAsync(id);

        Assert.Equal(DiagnosticOutcome.Passed, result.Steps.Single(s => s.Name == "IMAP server name").Outcome);
        var connection = result.Steps.Single(s => s.Name == "IMAP connection");
        Assert.Equal(DiagnosticOutcome.Failed, connection.Outcome);
        Assert.Contains("firewall", connection.Fix, StringComparison.Ordinal);
        Assert.All(result.Steps.Where(s => s.Name is "IMAP TLS" or "IMAP sign-in" or "INBOX" or "Failure folder"),
            s => Assert.Equal(DiagnosticOutcome.Skipped, s.Outcome));
        // SMTP is checked on its own and passes.
        Assert.Equal(DiagnosticOutcome.Passed, result.Steps.Single(s => s.Name == "SMTP sign-in").Outcome);
    }

    [Fact]
    public async Task The_failure_folder_is_created_when_missing_and_found_the_next_time()
    {
        var id = await PasswordAccountAsync(MailStack.Password, MailStack.ImapsPort);

        var first = await host.Get<AccountChecks>().TestAsync(id);
        var second = await host.Get<AccountChecks>().TestAsync(id);

        Assert.True(first.Passed, first.Reason);
        Assert.Contains("was created", first.Steps.Single(s => s.Name == "Failure folder").Detail, StringComparison.Ordinal);
        Assert.Contains("exists", second.Steps.Single(s => s.Name == "Failure folder").Detail, StringComparison.Ordinal);
        Assert.Equal(AccountState.Connected, second.State);
    }

    [Fact]
    public async Task Sync_refreshes_every_grant_and_reports_the_accounts_that_need_an_admin()
    {
        var (_, healthy, _) = await scenario.ConnectedAccountAsync(OAuthProvider.Google);
        var (_, revoked, revokedMailbox) = await scenario.ConnectedAccountAsync(OAuthProvider.Microsoft);
        await scenario.Provider.RevokeUserAsync(revokedMailbox);

        var summary = await host.Get<AccountChecks>().SyncAsync();

        Assert.Equal(2, summary.Accounts);
        Assert.Equal(1, summary.Connected);
        Assert.Contains(summary.Problems, p => p.StartsWith(revokedMailbox, StringComparison.Ordinal) && p.Contains("Authenticate", StringComparison.Ordinal));
        var accounts = host.Get<AccountService>();
        Assert.Equal(AccountState.ReauthenticationRequired, (await accounts.GetAsync(revoked))!.State);
        Assert.Equal(AccountState.Connected, (await accounts.GetAsync(healthy))!.State);
    }

    private async Task<Guid> PasswordAccountAsync(string password, int imapPort)
    {
        var result = await host.Get<AccountService>().SaveAsync(null, MailStack.PasswordAccount(MailStack.NewMailbox("pw"), password, imapPort));
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Values));
        return result.Id!.Value;
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        scenario.Dispose();
        host.Dispose();
    }
}
