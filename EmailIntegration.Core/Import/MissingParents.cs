using System.Text.Json.Nodes;
using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Mail;
using EmailIntegration.Core.Settings;
using Microsoft.Extensions.Logging;

namespace EmailIntegration.Core.Import;

/// <summary>
/// Conversations imported while no conversation parent named their account (mail that came before the
/// mapping): found, and completed with the parents the mapping now says, built from their first message
/// by the same code the import uses. Each batch is one transaction that chooses its conversations under
/// the write lock, so a second run (or two at once) creates nothing more.
/// </summary>
public sealed class MissingParents(ObjectStore store, SchemaService schemas, SettingsStore settings, AccountService accounts, ILogger<MissingParents> logger)
{
    private const int BatchSize = 50;

    private sealed record Scope(RuntimeConfiguration Runtime, IReadOnlyDictionary<string, Guid> Accounts, JsonNode? Filter, IReadOnlyList<string> Limetypes);

    public async Task<MissingParentsSummary> FindAsync(int newest = 20, CancellationToken cancellationToken = default)
    {
        var scope = await ScopeAsync(cancellationToken);
        if (scope.Filter is null)
        {
            return new MissingParentsSummary(0, [], []);
        }

        var c = scope.Runtime.Conversation;
        await using var session = await store.OpenReadAsync(cancellationToken);
        var count = await session.CountAsync(c.Limetype, scope.Filter, QueryContext.Anonymous, cancellationToken);
        var rows = count == 0 ? [] : await session.QueryAsync(new LimeQuery(c.Limetype)
        {
            Filter = scope.Filter,
            Order = [new OrderBy(CrmSchema.IdKey, Descending: true)],
            Limit = newest,
        }, QueryContext.Anonymous, cancellationToken);
        return new MissingParentsSummary(count, rows.Select(r => new ConversationWithoutParent(
            r.Id, r.GetValueOrDefault(c.PropertySubject) as string, r.GetValueOrDefault(c.PropertyFirstMessageDate) as DateTime?,
            r.GetValueOrDefault(c.PropertyAddress) as string ?? "")).ToList(), scope.Limetypes);
    }

    public async Task<ParentsCreated> CreateAsync(string? user, CancellationToken cancellationToken = default)
    {
        var scope = await ScopeAsync(cancellationToken);
        var created = new Dictionary<string, int>(StringComparer.Ordinal);
        var problems = new List<string>();
        var completed = 0;
        var c = scope.Runtime.Conversation;
        long after = 0;
        while (scope.Filter is not null)
        {
            await using var session = await store.OpenAsync(user ?? ImportService.Actor, cancellationToken);
            var batch = await session.QueryAsync(new LimeQuery(c.Limetype)
            {
                Filter = Filter.And(scope.Filter, Filter.Gt(CrmSchema.IdKey, after)),
                Order = [new OrderBy(CrmSchema.IdKey)],
                Limit = BatchSize,
            }, QueryContext.Anonymous, cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var row in batch)
            {
                after = row.Id;
                await session.SavepointAsync("conversation", cancellationToken);
                try
                {
                    foreach (var (parent, _) in await CompleteAsync(session, scope, row, cancellationToken))
                    {
                        created[parent.Limetype] = created.GetValueOrDefault(parent.Limetype) + 1;
                    }

                    await session.ReleaseSavepointAsync("conversation", cancellationToken);
                    completed++;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One conversation the mapping cannot fill (a required property empty) does not stop the others.
                    await session.RollbackToSavepointAsync("conversation", CancellationToken.None);
                    var reason = ex is ObjectValidationException invalid ? string.Join("; ", invalid.Errors.Select(e => $"{e.Key}: {e.Value}")) : ex.Message;
                    problems.Add($"Conversation {after} ({row.GetValueOrDefault(c.PropertySubject)}): {reason}");
                }
            }

            await session.CommitAsync(cancellationToken);
        }

        logger.LogInformation("Parents created for {Conversations} conversations imported without one: {Created}; {Problems} could not be completed",
            completed, string.Join(", ", created.Select(kv => $"{kv.Value} {kv.Key}")), problems.Count);
        return new ParentsCreated(completed, created, problems);
    }

    /// <summary>The conversations of every account whose mapping names a parent the conversation does not have.</summary>
    private async Task<Scope> ScopeAsync(CancellationToken cancellationToken)
    {
        var runtime = await settings.GetRuntimeAsync(cancellationToken);
        var schema = await schemas.GetAsync(cancellationToken);
        var byAddress = new Dictionary<string, Guid>(StringComparer.OrdinalIgnoreCase);
        var perAccount = new List<JsonNode>();
        var limetypes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var account in await accounts.ListAsync(cancellationToken))
        {
            byAddress[account.EmailAddress] = account.Id;
            var lacking = new List<JsonNode>();
            foreach (var parent in runtime.ParentsFor(account.Id))
            {
                // The conversation's side of the parent's relation, empty: no parent of this kind.
                if (schema.Find(parent.Limetype)?.Find(parent.RelationConversation)?.InverseProperty is { } inverse)
                {
                    lacking.Add(Filter.IsNull(inverse));
                    limetypes.Add(parent.Limetype);
                }
            }

            if (lacking.Count > 0)
            {
                perAccount.Add(Filter.And(Filter.Eq(runtime.Conversation.PropertyAddress, account.EmailAddress), Filter.Or(lacking)));
            }
        }

        var filter = Filter.Any(perAccount);
        return new Scope(runtime, byAddress, filter, [.. limetypes]);
    }

    /// <summary>Creates the parents the conversation lacks and links them like the import does: conversation, then documents.</summary>
    private static async Task<List<(ConversationParentConfig Config, long Id)>> CompleteAsync(
        ObjectSession session, Scope scope, LimeRow conversation, CancellationToken cancellationToken)
    {
        var runtime = scope.Runtime;
        var id = conversation.Id;
        var address = conversation.GetValueOrDefault(runtime.Conversation.PropertyAddress) as string ?? "";
        if (!scope.Accounts.TryGetValue(address, out var accountId))
        {
            return [];
        }

        var lacking = new List<ConversationParentConfig>();
        foreach (var parent in runtime.ParentsFor(accountId))
        {
            var relation = session.Schema.Get(parent.Limetype).Find(parent.RelationConversation)!;
            var missing = relation.Type == PropertyType.BelongsTo
                ? await session.CountAsync(parent.Limetype, Filter.Eq(relation.Name, id), QueryContext.Anonymous, cancellationToken) == 0
                : conversation.GetValueOrDefault(relation.InverseProperty!) is null;
            if (missing)
            {
                lacking.Add(parent);
            }
        }

        var first = await FirstMessageAsync(session, runtime, conversation, address, cancellationToken);
        var notes = new List<string>();
        var created = await ParentMapping.CreateAsync(session, lacking, name => first.GetValueOrDefault(name), null, notes, cancellationToken);
        foreach (var (parent, parentId) in created)
        {
            var inverse = session.Schema.Get(parent.Limetype).Find(parent.RelationConversation)!.InverseProperty!;
            await session.UpdateAsync(runtime.Conversation.Limetype, id, new Dictionary<string, object?> { [inverse] = parentId }, cancellationToken);
        }

        created.AddRange(await ParentMapping.CreateAsync(session, lacking, name => first.GetValueOrDefault(name), id, notes, cancellationToken));
        await LinkDocumentsAsync(session, runtime, id, created, cancellationToken);
        return created;
    }

    /// <summary>
    /// The guide's message properties of the conversation's first message, read back from its records
    /// (what the import wrote: subject, sender, body, date, Message-ID; recipients from its message followers).
    /// </summary>
    private static async Task<Dictionary<string, object?>> FirstMessageAsync(
        ObjectSession session, RuntimeConfiguration runtime, LimeRow conversation, string address, CancellationToken cancellationToken)
    {
        var (c, m, mf) = (runtime.Conversation, runtime.ConversationMessage, runtime.MessageFollower);
        var id = conversation.Id;
        var messages = await session.QueryAsync(new LimeQuery(m.Limetype)
        {
            Filter = Filter.Eq(m.RelationConversation, id),
            Order = [new OrderBy(m.PropertyDate), new OrderBy(CrmSchema.IdKey)],
            Limit = 1,
        }, QueryContext.Anonymous, cancellationToken);
        IReadOnlyDictionary<string, object?> message = messages.Count > 0 ? messages[0] : new Dictionary<string, object?>();
        var html = message.GetValueOrDefault(m.PropertyMessage) as string;
        var values = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["subject"] = message.GetValueOrDefault("subject") ?? conversation.GetValueOrDefault(c.PropertySubject),
            ["plainText"] = html is null ? null : HtmlText.Convert(html).Trim(),
            ["htmlBody"] = html,
            ["fromAddress"] = message.GetValueOrDefault("fromaddress"),
            ["fromName"] = message.GetValueOrDefault("fromname"),
            ["date"] = message.GetValueOrDefault(m.PropertyDate) ?? conversation.GetValueOrDefault(c.PropertyFirstMessageDate),
            ["messageId"] = message.GetValueOrDefault(m.PropertyEmailId),
            ["accountAddress"] = address,
            ["language"] = conversation.GetValueOrDefault(c.PropertyLanguage),
        };

        if (message.GetValueOrDefault(CrmSchema.IdKey) is long messageId)
        {
            var addressKey = $"{mf.RelationFollower}.{runtime.Follower.PropertyAddress}";
            var recipients = await session.QueryAsync(new LimeQuery(mf.Limetype)
            {
                Filter = Filter.Eq(mf.RelationConversationMessage, messageId),
                Columns = [mf.PropertyParticipationLevel, addressKey],
                Order = [new OrderBy(CrmSchema.IdKey)],
                Limit = 1000,
            }, QueryContext.Anonymous, cancellationToken);
            string Join(string level) => string.Join(", ", recipients
                .Where(r => r.GetValueOrDefault(mf.PropertyParticipationLevel) as string == level)
                .Select(r => r.GetValueOrDefault(addressKey) as string).OfType<string>());
            values["toAddresses"] = Join("to");
            values["ccAddresses"] = Join("cc");
        }

        return values;
    }

    /// <summary>The conversation's attachments linked to its new parents too, as the import links a new conversation's.</summary>
    private static async Task LinkDocumentsAsync(
        ObjectSession session, RuntimeConfiguration runtime, long conversationId, List<(ConversationParentConfig Config, long Id)> parents, CancellationToken cancellationToken)
    {
        var d = runtime.Document;
        foreach (var (parent, parentId) in parents)
        {
            var relation = parent.RelationDocument is null ? null : session.Schema.Get(parent.Limetype).Find(parent.RelationDocument);
            if (relation?.Type != PropertyType.HasMany || relation.InverseProperty is not { } inverse)
            {
                continue;
            }

            var documents = await session.QueryAsync(new LimeQuery(d.Limetype)
            {
                Filter = Filter.And(
                    Filter.Eq($"{d.RelationConversationMessage}.{runtime.ConversationMessage.RelationConversation}", conversationId),
                    Filter.IsNull(inverse)),
                Columns = [CrmSchema.IdKey],
                Limit = 10_000,
            }, QueryContext.Anonymous, cancellationToken);
            foreach (var document in documents)
            {
                await session.UpdateAsync(d.Limetype, document.Id, new Dictionary<string, object?> { [inverse] = parentId }, cancellationToken);
            }
        }
    }
}
