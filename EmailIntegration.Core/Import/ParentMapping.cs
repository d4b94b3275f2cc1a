using System.Text.Json;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Settings;

namespace EmailIntegration.Core.Import;

/// <summary>
/// Creates a conversation's parents as the runtime configuration maps them from its first message.
/// The import calls it for a new conversation; <see cref="MissingParents"/> for a conversation that
/// was imported while no mapping named its account, with the first message read back from its records.
/// </summary>
public static class ParentMapping
{
    /// <summary>
    /// Creates the parents of one kind: without a conversation id, those the conversation points to
    /// (a ticket has many conversations), to be created before it; with one, those that point to the
    /// conversation. <paramref name="messageValue"/> gives the first message's value for a
    /// <c>messageProperty</c> name (<see cref="MessageProperties"/>).
    /// </summary>
    public static async Task<List<(ConversationParentConfig Config, long Id)>> CreateAsync(
        ObjectSession session, IEnumerable<ConversationParentConfig> parents, Func<string, object?> messageValue, long? conversationId,
        List<string> notes, CancellationToken cancellationToken)
    {
        var created = new List<(ConversationParentConfig, long)>();
        foreach (var parent in parents)
        {
            var type = session.Schema.Get(parent.Limetype);
            var relation = type.Find(parent.RelationConversation)!;
            if ((relation.Type == PropertyType.BelongsTo) != conversationId.HasValue)
            {
                continue;
            }

            var values = new Dictionary<string, object?>();
            var resolved = new Dictionary<string, LimeObject>();
            foreach (var p in parent.Properties)
            {
                var value = await ValueForAsync(session, messageValue, type, p, values, resolved, notes, cancellationToken);
                if (value is null && p.Default is { } fallback)
                {
                    value = fallback.ValueKind switch
                    {
                        JsonValueKind.String => fallback.GetString(),
                        JsonValueKind.True => true,
                        JsonValueKind.False => false,
                        JsonValueKind.Number => fallback.GetDecimal(),
                        _ => null,
                    };
                }

                if (value is not null)
                {
                    values[p.Property] = value is string { Length: > 100_000 } text ? text[..100_000] : value;
                }
            }

            if (conversationId is { } id)
            {
                values[relation.Name] = id;
            }

            created.Add((parent, await session.CreateAsync(parent.Limetype, values, cancellationToken)));
        }

        return created;
    }

    private static async Task<object?> ValueForAsync(
        ObjectSession session, Func<string, object?> messageValue, Limetype type, ParentPropertyConfig p,
        Dictionary<string, object?> values, Dictionary<string, LimeObject> resolved, List<string> notes, CancellationToken cancellationToken)
    {
        var message = p.MessageProperty is null ? null : messageValue(p.MessageProperty);
        if (p.SearchPath is not { Length: > 0 } path)
        {
            return message;
        }

        var segments = path.Split('.');
        var relation = type.Find(segments[0])!;
        if (p.MessageProperty is not null)
        {
            // Lookup: the related record whose property equals the message value.
            if (message is null)
            {
                return null;
            }

            var found = await session.FindAsync(relation.RelatedLimetype!, segments[1], message, 2, cancellationToken);
            if (found.Count > 1)
            {
                notes.Add($"{path} = {message} matches several {relation.RelatedLimetype} records; the most recently updated was used.");
            }

            if (found.Count == 0)
            {
                return null;
            }

            resolved[segments[0]] = found[0];
            return found[0].Id;
        }

        // Copy through a relation resolved earlier (or already set).
        if (!resolved.TryGetValue(segments[0], out var source) && values.GetValueOrDefault(segments[0]) is long id)
        {
            source = await session.GetAsync(relation.RelatedLimetype!, id, cancellationToken);
            if (source is not null)
            {
                resolved[segments[0]] = source;
            }
        }

        return source?[segments[1]];
    }
}
