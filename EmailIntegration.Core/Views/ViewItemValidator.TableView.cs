using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Settings;

namespace EmailIntegration.Core.Views;

/// <summary>The table view's checks: columns, tabs and activities against the schema.</summary>
public static partial class ViewItemValidator
{
    private sealed partial class Checker
    {
        public ValidItem? View(JsonObject o, IReadOnlyDictionary<string, string> filters)
        {
            Keys(o, ViewKeys, "");
            var lt = Limetype(o);
            if (lt is not null && Str(o, "id") is { } given && given != lt.Name)
            {
                Error("id", $"a table view's id is its limetype: write \"{lt.Name}\" or leave the id out.");
            }

            if (lt is not null && !o.ContainsKey("id"))
            {
                o.Insert(0, "id", lt.Name);
            }

            if (o["columns"] is not JsonArray columns || columns.Count == 0)
            {
                Error("columns", "a table view needs \"columns\": an array of at least one column such as {\"property\": \"subject\", \"title\": \"Subject\"}.");
            }
            else if (lt is not null)
            {
                var keys = new HashSet<string>(StringComparer.Ordinal);
                for (var i = 0; i < columns.Count; i++)
                {
                    Column(columns[i], $"columns[{i}]", lt, keys);
                }
            }

            Array(o, "tabs", lt, (t, at) => Tab(t, at, lt!));
            Array(o, "activities", lt, (a, at) => Activity(a, at, lt!));
            Array(o, "filters", lt, (f, at) =>
            {
                var filter = f is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
                if (filter is null || !filters.TryGetValue(filter, out var on))
                {
                    Error(at, filter is null ? "a filter chip is named by the filter's id, a text." : $"there is no filter '{filter}'.");
                }
                else if (on != lt!.Name)
                {
                    Error(at, $"the filter '{filter}' is for {on}; a {lt.Name} view can offer only filters on {lt.Name}.");
                }
            });

            return lt is null ? null : new ValidItem(ViewKind.TableView, lt.Name, lt.Name, o);
        }

        private void Column(JsonNode? node, string at, Limetype lt, HashSet<string> aggregateKeys)
        {
            if (node is not JsonObject c)
            {
                Error(at, "a column is an object such as {\"property\": \"subject\", \"title\": \"Subject\"}.");
                return;
            }

            Keys(c, ColumnKeys, at + ".");
            var property = Str(c, "property");
            Optional(c, "title", at + ".");
            Typed(c, "isDefault", JsonValueKind.True, "write true or false.", at + ".");
            Typed(c, "aggregated", JsonValueKind.True, "write true or false.", at + ".");
            if (property is null)
            {
                Error(at + ".property", "name the property the column shows, such as \"subject\" or \"person.name\".");
                return;
            }

            if (Bool(c, "aggregated") == true)
            {
                var aggregate = c["aggregate"] as JsonObject;
                var op = Str(aggregate, "operator");
                var key = Str(aggregate, "key");
                if (aggregate is null || op is null || key is null)
                {
                    Error(at + ".aggregate", "an aggregated column needs \"aggregate\": {\"operator\": \"MIN\"|\"MAX\"|\"COUNT\"|\"SUM\", \"key\": \"min_earliestunread_0\"}.");
                    return;
                }

                if (!aggregateKeys.Add(key))
                {
                    Error(at + ".aggregate.key", $"another column already uses the key '{key}': give each aggregate its own key.");
                }

                Compile(() => new SqlTranslator(schema, QueryContext.Anonymous).AggregateColumn(new Aggregate(key, op, property), lt, 0), at,
                    p => p.Replace("aggregates[0].path", "property", StringComparison.Ordinal).Replace("aggregates[0]", "aggregate", StringComparison.Ordinal));
            }
            else
            {
                if (c.ContainsKey("aggregate"))
                {
                    Error(at + ".aggregated", "this column has an \"aggregate\": set \"aggregated\": true, or remove the aggregate.");
                }

                var segments = property.Split('.');
                if (lt.Find(segments[0]) is { Type: PropertyType.HasMany })
                {
                    Error(at + ".property", $"'{segments[0]}' is a has-many relation: set \"aggregated\": true with an aggregate (MIN, MAX, COUNT or SUM).");
                }
                else
                {
                    Compile(() => new SqlTranslator(schema, QueryContext.Anonymous).Scalar(segments, 0, lt, SqlTranslator.RootAlias, At(at + ".property")), null);
                }
            }

            if (c["component"] is { } component)
            {
                var name = Str(component as JsonObject, "name");
                if (name is null || !ViewComponentNames.All.Contains(name))
                {
                    Error(at + ".component.name", $"use one of the column components: {string.Join(", ", ViewComponentNames.All)}.");
                }

                if (component is JsonObject co && co["props"] is { } props && props is not JsonObject)
                {
                    Error(at + ".component.props", "props is an object, {} when there are none.");
                }
            }
        }

        private void Tab(JsonNode? node, string at, Limetype lt)
        {
            var relation = Str(node as JsonObject, "relation");
            if (relation is null || lt.Find(relation) is not { Type: PropertyType.HasMany })
            {
                var choices = string.Join(", ", lt.Ordered.Where(p => p.Type == PropertyType.HasMany).Select(p => p.Name));
                Error(at + ".relation", $"a tab shows a has-many relation of {lt.Name}: one of {choices}.");
            }
        }

        private void Activity(JsonNode? node, string at, Limetype lt)
        {
            var activity = Str(node as JsonObject, "path");
            if (activity is null)
            {
                Error(at + ".path", "an activity source is a path of relations, such as \"conversation.conversationmessage\".");
                return;
            }

            var current = lt;
            foreach (var segment in activity.Split('.'))
            {
                if (current.Find(segment) is not { } p || !p.Type.IsRelation())
                {
                    Error(at + ".path", $"'{segment}' is not a relation of {current.Name}; each step of the path is a relation.");
                    return;
                }

                current = schema.Get(p.RelatedLimetype!);
            }
        }
    }
}
