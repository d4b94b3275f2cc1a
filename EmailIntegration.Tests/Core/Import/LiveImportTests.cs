using System.Diagnostics;
using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Mail;
using EmailIntegration.Tests.Infrastructure;
using MimeKit;

namespace EmailIntegration.Tests.Core.Import;

/// <summary>The App as it runs: inbox watchers on IDLE trigger the per-account import jobs.</summary>
public sealed class LiveImportTests : IDisposable
{
    private readonly AppHost host = new() { WatchMailboxes = true };

    [Fact]
    public async Task Mail_sent_to_a_watched_account_becomes_a_conversation_within_seconds_and_a_broken_account_stops_nobody()
    {
        var broken = await AccountAsync(TestMailbox.New("broken"), "wrong-password");
        var mailbox = TestMailbox.New();
        var account = await AccountAsync(mailbox, MailStack.Password);
        host.StartServer();

        // The watcher has connected and its first pass has ended (it idles next), and the broken account's was
        // refused; then mail arrives the way it does from outside.
        Assert.True(await WaitForAsync(async () =>
        {
            await using var db = await host.Get<Microsoft.EntityFrameworkCore.IDbContextFactory<EmailIntegration.Core.Persistence.AppDbContext>>().CreateDbContextAsync();
            return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(
                db.Set<EmailIntegration.Core.Import.ImportRun>(), r => r.AccountId == account && r.FinishedUtc != null);
        }, TimeSpan.FromSeconds(20)), "the watcher's first pass did not end");
        Assert.True(await WaitForAsync(() => Task.FromResult(host.Logs.Text.Contains($"Watching account {broken} paused", StringComparison.Ordinal)), TimeSpan.FromSeconds(20)),
            "the broken account's watcher was not refused");
        var subject = $"Live {Guid.NewGuid():N}";
        var message = Hello(mailbox, subject);
        var sent = Stopwatch.StartNew();
        await mailbox.DeliverAsync(message);

        long count = 0;
        while (sent.Elapsed < TimeSpan.FromSeconds(20) && count == 0)
        {
            await Task.Delay(100);
            count = await host.Get<ObjectStore>().CountAsync("conversation",
                new System.Text.Json.Nodes.JsonObject { ["key"] = "subject", ["op"] = "=", ["exp"] = subject }, QueryContext.Anonymous);
        }

        Assert.True(count == 1, $"not imported {sent.Elapsed} after delivery");
        Assert.Equal(0, (await mailbox.InboxCountsAsync()).Unseen);
        var state = await host.Get<AccountService>().GetAsync(broken);
        Assert.Equal(AccountState.Failing, state!.State);
        Assert.Contains("refused the sign-in", state.StateReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task New_mail_is_imported_over_the_watchers_own_connection_without_signing_in_again()
    {
        var mailbox = TestMailbox.New();
        var account = await AccountAsync(mailbox, MailStack.Password);
        Assert.Empty(await host.Get<EmailIntegration.Core.Settings.SettingsStore>().AddStandardMappingAsync(account, "admin"));
        host.StartServer();
        Assert.True(await WaitForAsync(() => FinishedPassesAsync(account).ContinueWith(t => t.Result > 0, TaskScheduler.Default), TimeSpan.FromSeconds(20)),
            "the watcher's first pass did not end");
        var signIns = MailStack.ImapSignIns(mailbox.Address);
        Assert.True(signIns > 0, "the watcher's sign-in is not in the stack's log");

        for (var i = 0; i < 3; i++)
        {
            var subject = $"Over the watch {i} {Guid.NewGuid():N}";
            var message = Hello(mailbox, subject);
            await mailbox.DeliverAsync(message);
            Assert.True(await WaitForAsync(async () => await host.Get<ObjectStore>().CountAsync("helpdesk",
                new System.Text.Json.Nodes.JsonObject { ["key"] = "subject", ["op"] = "=", ["exp"] = subject }, QueryContext.Anonymous) == 1, TimeSpan.FromSeconds(20)),
                $"message {i} was not imported");
        }

        // Three passes more, each over the connection that saw the mail: no sign-in of their own.
        Assert.True(await FinishedPassesAsync(account) >= 2, "the mail was not imported by passes of the watcher");
        Assert.Equal(signIns, MailStack.ImapSignIns(mailbox.Address));
        Assert.Equal(0, (await mailbox.InboxCountsAsync()).Unseen);
    }

    [Fact]
    public async Task A_pass_that_failed_is_tried_again_soon_over_the_same_connection_without_new_mail()
    {
        // The App's own watchers are off: only this watch signs in to the mailbox.
        using var quiet = new AppHost();
        var mailbox = TestMailbox.New();
        var account = (await quiet.Get<AccountService>().SaveAsync(null, MailStack.PasswordAccount(mailbox.Address))).Id!.Value;
        var passes = 0;
        var second = new TaskCompletionSource();
        using var stop = new CancellationTokenSource();
        var watch = quiet.Get<EmailIntegration.Core.Import.InboxWatcher>().WatchAsync(account, (_, _) =>
        {
            // The first pass fails (the database busy, say); nothing new arrives after it.
            if (Interlocked.Increment(ref passes) == 2)
            {
                second.TrySetResult();
            }

            return Task.FromResult(passes > 1);
        }, stop.Token);

        await second.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var signIns = MailStack.ImapSignIns(mailbox.Address);
        await stop.CancelAsync();
        await watch.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, passes);
        Assert.Equal(signIns, MailStack.ImapSignIns(mailbox.Address));
    }

    [Fact]
    public async Task A_pass_that_breaks_the_connection_every_time_makes_the_watcher_wait_longer_each_time_before_it_signs_in_again()
    {
        await using var imap = new TcpForwarder(MailStack.Host, MailStack.ImapsPort);
        imap.Start();
        using var quiet = new AppHost();
        var mailbox = TestMailbox.New();
        var account = (await quiet.Get<AccountService>().SaveAsync(null, MailStack.PasswordAccount(mailbox.Address, imapPort: imap.Port))).Id!.Value;
        using var stop = new CancellationTokenSource();
        var watch = quiet.Get<EmailIntegration.Core.Import.InboxWatcher>().WatchAsync(account, (_, _) =>
        {
            // Every pass loses the connection (one message the server cannot send, say); the sign-in itself works.
            imap.Stop();
            imap.Start();
            return Task.FromResult(false);
        }, stop.Token);

        // Each sign-in worked, yet the waits double: the sign-in counts as good only once the connection carried a wait.
        foreach (var backoff in new[] { "00:00:01", "00:00:02", "00:00:04" })
        {
            Assert.True(await WaitForAsync(() => Task.FromResult(quiet.Logs.Text.Contains($"Watching account {account} paused for {backoff}", StringComparison.Ordinal)), TimeSpan.FromSeconds(30)),
                $"no pause of {backoff}");
        }

        await stop.CancelAsync();
        await watch.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private async Task<int> FinishedPassesAsync(Guid account)
    {
        await using var db = await host.Get<Microsoft.EntityFrameworkCore.IDbContextFactory<EmailIntegration.Core.Persistence.AppDbContext>>().CreateDbContextAsync();
        return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(
            db.Set<EmailIntegration.Core.Import.ImportRun>(), r => r.AccountId == account && r.FinishedUtc != null && r.Error == null);
    }

    [Fact]
    public async Task Mail_that_came_while_the_password_was_wrong_becomes_a_ticket_within_seconds_of_the_right_password_being_saved()
    {
        var mailbox = TestMailbox.New();
        var account = await AccountAsync(mailbox, "wrong-password");
        Assert.Empty(await host.Get<EmailIntegration.Core.Settings.SettingsStore>().AddStandardMappingAsync(account, "admin"));
        host.StartServer();

        // The watcher was refused a few times and waits longer each time; mail arrives meanwhile.
        await WaitForAsync(() => Task.FromResult(host.Logs.Text.Contains($"Watching account {account} paused for 00:00:04", StringComparison.Ordinal)), TimeSpan.FromSeconds(30));
        var subject = $"While refused {Guid.NewGuid():N}";
        var message = Hello(mailbox, subject);
        await mailbox.DeliverAsync(message);
        var accounts = host.Get<AccountService>();
        Assert.Equal(AccountState.Failing, (await accounts.GetAsync(account))!.State);

        // Saved as the Accounts page saves it (an empty field keeps the rest).
        var saved = Stopwatch.StartNew();
        Assert.True((await accounts.SaveAsync(account, MailStack.PasswordAccount(mailbox.Address))).Succeeded);

        var imported = await WaitForAsync(async () => await host.Get<ObjectStore>().CountAsync("helpdesk",
            new System.Text.Json.Nodes.JsonObject { ["key"] = "subject", ["op"] = "=", ["exp"] = subject }, QueryContext.Anonymous) == 1, TimeSpan.FromSeconds(20));
        Assert.True(imported, $"not imported {saved.Elapsed} after the password was saved");
        // Checked at once: connected, without anyone pressing Test connection.
        Assert.True(await WaitForAsync(async () => (await accounts.GetAsync(account))!.State == AccountState.Connected, TimeSpan.FromSeconds(20)),
            $"state {(await accounts.GetAsync(account))!.State}: {(await accounts.GetAsync(account))!.StateReason}");
    }

    [Fact]
    public async Task An_account_whose_server_was_unreachable_is_connected_again_and_its_waiting_mail_imported_as_soon_as_the_server_answers()
    {
        await using var imap = new TcpForwarder(MailStack.Host, MailStack.ImapsPort);
        imap.Start();
        var mailbox = TestMailbox.New();
        var accounts = host.Get<AccountService>();
        var account = (await accounts.SaveAsync(null, MailStack.PasswordAccount(mailbox.Address, imapPort: imap.Port))).Id!.Value;
        Assert.Empty(await host.Get<EmailIntegration.Core.Settings.SettingsStore>().AddStandardMappingAsync(account, "admin"));
        host.StartServer();
        // A new account is checked when its watcher first signs in.
        Assert.True(await WaitForAsync(async () => (await accounts.GetAsync(account))!.State == AccountState.Connected, TimeSpan.FromSeconds(20)));

        // The server goes away; Test connection says so; mail arrives meanwhile.
        imap.Stop();
        var failed = await host.Get<AccountChecks>().TestAsync(account);
        Assert.Equal(AccountState.Failing, failed.State);
        var subject = $"While away {Guid.NewGuid():N}";
        var message = Hello(mailbox, subject);
        await mailbox.DeliverAsync(message);

        var back = Stopwatch.StartNew();
        imap.Start();

        Assert.True(await WaitForAsync(async () => await host.Get<ObjectStore>().CountAsync("helpdesk",
            new System.Text.Json.Nodes.JsonObject { ["key"] = "subject", ["op"] = "=", ["exp"] = subject }, QueryContext.Anonymous) == 1, TimeSpan.FromSeconds(10)),
            $"not imported {back.Elapsed} after the server came back");
        Assert.True(await WaitForAsync(async () => (await accounts.GetAsync(account))!.State == AccountState.Connected, TimeSpan.FromSeconds(10) - back.Elapsed),
            $"state {(await accounts.GetAsync(account))!.State}: {(await accounts.GetAsync(account))!.StateReason}");
    }

    /// <summary>A customer's plain "Hello" to the mailbox, as mail from outside.</summary>
    private static MimeMessage Hello(TestMailbox mailbox, string subject)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("someone@customer.test"));
        message.To.Add(MailboxAddress.Parse(mailbox.Address));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = "Hello" };
        return message;
    }

    /// <summary>Polls a condition until it holds or the time is up; says whether it held.</summary>
    private static async Task<bool> WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(100);
        }

        return true;
    }

    private async Task<Guid> AccountAsync(TestMailbox mailbox, string password)
    {
        var saved = await host.Get<AccountService>().SaveAsync(null, MailStack.PasswordAccount(mailbox.Address, password));
        Assert.True(saved.Succeeded);
        return saved.Id!.Value;
    }

    public void Dispose() => host.Dispose();
}
