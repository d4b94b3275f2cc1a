using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Inbox;

namespace EmailIntegration.Core.Crm.Query;

/// <summary>The full-text part of a query: objects with a related message whose indexed text matches.</summary>
internal sealed partial class SqlTranslator
{
    /// <summary>The WHERE condition of a whole query: its filter, and its message match when it has one.</summary>
    public string Where(LimeQuery query, Limetype root)
    {
        var where = Where(query.Filter, root);
        return query.Match is { } match ? $"({where}) AND {MatchCondition(match, root)}" : where;
    }

    /// <summary>
    /// Id sets along the path, innermost first: the conversations of the matching messages come from
    /// the index, and each relation up to the root is a lookup by id, so the cost follows the number
    /// of matches, not of objects.
    /// </summary>
    private string MatchCondition(MessageMatch match, Limetype root)
    {
        if (string.IsNullOrWhiteSpace(match.Expression))
        {
            throw new QueryException("match.expression", "The search is empty.");
        }

        var segments = match.Path.Split('.');
        var types = new List<(Limetype Type, LimeProperty Relation)>();
        var limetype = root;
        for (var i = 0; i < segments.Length; i++)
        {
            var relation = Find(limetype, segments[i], "match.path");
            if (relation.Type is not (PropertyType.HasMany or PropertyType.BelongsTo))
            {
                throw new QueryException("match.path", $"'{segments[i]}' on '{limetype.Name}' is not a relation.");
            }

            types.Add((limetype, relation));
            limetype = schema.Get(relation.RelatedLimetype!);
        }

        var ids = MailSearchSql.MatchingConversations(Parameter(match.Expression));
        for (var i = types.Count - 1; i >= 0; i--)
        {
            var (owner, relation) = types[i];
            var target = schema.Get(relation.RelatedLimetype!);
            var sub = NextAlias();
            if (relation.Type == PropertyType.HasMany)
            {
                // The owners of the related objects: their belongs-to column, read for the matching ids.
                var inverse = SqlDialect.Quote(target.Find(relation.InverseProperty!)!.Column!);
                ids = $"SELECT {sub}.{inverse} FROM {SqlDialect.Quote(target.Table)} {sub} WHERE {sub}.\"id\" IN ({ids}) AND {sub}.{inverse} IS NOT NULL";
            }
            else
            {
                // The objects that point to a matching one: a lookup by their (indexed) belongs-to column.
                var column = SqlDialect.Quote(relation.Column!);
                ids = $"SELECT {sub}.\"id\" FROM {SqlDialect.Quote(owner.Table)} {sub} WHERE {sub}.{column} IN ({ids})";
            }
        }

        return $"{RootAlias}.\"id\" IN ({ids})";
    }
}
