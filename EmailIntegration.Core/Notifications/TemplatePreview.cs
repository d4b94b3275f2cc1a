using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Settings;

namespace EmailIntegration.Core.Notifications;

/// <summary>
/// The Templates tab's preview: a template merged as a notification about a real conversation would
/// be (the same merge input as sending), or with sample people when none is chosen.
/// </summary>
public sealed class TemplatePreview(ObjectStore store, SettingsStore settings, AccountService accounts, TimeProvider clock)
{
    public async Task<string> PreviewAsync(string html, TemplateKind kind, long? conversationId, CancellationToken cancellationToken = default)
    {
        var c = await settings.GetRuntimeAsync(cancellationToken);
        var all = await accounts.ListAsync(cancellationToken);
        var account = all.Count > 0 ? all[0] : null;
        var fromAccount = new Participant(account?.EmailAddress ?? "support@example.com", account?.DisplayName ?? "Support");
        var own = all.Select(a => a.EmailAddress).ToHashSet(StringComparer.OrdinalIgnoreCase);
        // The sample needs no database, so typing in the editor takes no lock.
        var input = (conversationId is { } id ? await ConversationInputAsync(c, kind, fromAccount, own, id, cancellationToken) : null) ?? SampleInput(kind, fromAccount);
        return MergeCodes.Render(html, MergeValues.Build(input));
    }

    /// <summary>The conversation's newest message as if it had just come in, told to the first other follower.</summary>
    private async Task<MergeInput?> ConversationInputAsync(
        RuntimeConfiguration c, TemplateKind kind, Participant fromAccount, IReadOnlySet<string> own, long conversationId, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenReadAsync(cancellationToken);
        if (await NotificationConversation.LoadAsync(session, c, conversationId, cancellationToken) is not { } conversation)
        {
            return null;
        }

        var last = conversation.Thread.MaxBy(t => t.Id);
        var author = new Participant(last?.Entry.FromAddress ?? fromAccount.Address, last?.Entry.FromName);
        var followers = conversation.VisibleFollowers(own);
        var recipient = followers.FirstOrDefault(f => !string.Equals(f.Address, author.Address, StringComparison.OrdinalIgnoreCase)) ?? author;
        return conversation.MergeInput(kind, NotificationEventKind.Incoming, conversation.Subject(null), fromAccount, author, [recipient], followers, own);
    }

    private MergeInput SampleInput(TemplateKind kind, Participant fromAccount)
    {
        var anna = new Participant("anna.andersson@example.com", "Anna Andersson");
        var bo = new Participant("bo.berg@example.com", "Bo Berg");
        return new MergeInput(kind, NotificationEventKind.Incoming, "My printer does not print", fromAccount, anna, [anna, bo], [bo], [anna, bo],
        [
            new ThreadEntry(anna.Name, anna.Address, clock.GetUtcNow().UtcDateTime.AddMinutes(-5),
                "<p>Hello,</p><p>since this morning my printer only blinks. Bo is in copy.</p><p>Anna</p>"),
        ]);
    }
}
