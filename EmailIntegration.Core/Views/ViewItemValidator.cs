using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Settings;

namespace EmailIntegration.Core.Views;

/// <summary>
/// Checks filters, info tiles and table views against the schema and against the filters they name.
/// Every error names its JSON path (below <paramref name="path"/> of the caller) and says what to write instead.
/// </summary>
public static partial class ViewItemValidator
{
    private static readonly JsonSerializerOptions StoredJson = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// JSON as it is stored, exported and shown: indented, with every character as itself. The encoder still
    /// writes characters beyond the basic plane (the guide's 📫) as \u escapes; those are written back as the
    /// character, which JSON allows, so an admin reads the title the guide wrote.
    /// </summary>
    public static string Serialize(JsonNode node) =>
        SurrogateEscape().Replace(node.ToJsonString(StoredJson), m =>
            char.ConvertFromUtf32(char.ConvertToUtf32(
                (char)Convert.ToInt32(m.Groups[1].Value, 16), (char)Convert.ToInt32(m.Groups[2].Value, 16))));

    // An escaped surrogate pair, not itself behind an escaped backslash.
    [GeneratedRegex(@"(?<=(?:^|[^\\])(?:\\\\)*)\\u(D[89AB][0-9A-F]{2})\\u(D[C-F][0-9A-F]{2})", RegexOptions.IgnoreCase)]
    private static partial Regex SurrogateEscape();

    private static readonly string[] FilterKeys = ["id", "limetype", "name", "description", "filter"];
    private static readonly string[] TileKeys = ["id", "name", "limetype", "filter", "type", "property", "color", "icon", "inactive", "prefix", "suffix", "divisor", "decimals"];
    private static readonly string[] ViewKeys = ["id", "limetype", "columns", "tabs", "activities", "filters"];
    private static readonly string[] ColumnKeys = ["property", "title", "isDefault", "aggregated", "aggregate", "component"];

    /// <summary>Which kind an item of an import file is, from its keys.</summary>
    public static ViewKind? Detect(JsonNode? node) => node switch
    {
        JsonObject o when o.ContainsKey("columns") => ViewKind.TableView,
        JsonObject o when o["filter"] is JsonObject => ViewKind.Filter,
        JsonObject o when o.ContainsKey("type") || o["filter"] is JsonValue => ViewKind.InfoTile,
        _ => null,
    };

    /// <param name="filters">Every filter id that will exist, with its limetype (for tiles and views that name one).</param>
    public static (ValidItem? Item, IReadOnlyList<ConfigurationError> Errors) Validate(
        ViewKind kind, JsonNode? node, string path, CrmSchema schema, IReadOnlyDictionary<string, string> filters)
    {
        var errors = new List<ConfigurationError>();
        if (node is not JsonObject source)
        {
            return (null, [new(Root(path), $"a {kind.Label()} is a JSON object {{...}}.")]);
        }

        // Before DeepClone and the translator, which recurse once per level: a node built in code
        // thousands of levels deep must be refused here, not end the process.
        if (FilterBounds.FindTooDeep(source, FilterBounds.MaxDepth + 1, "") is { } deep)
        {
            return (null, [new(path.Length == 0 ? deep : $"{path}.{deep}",
                $"nested more than {FilterBounds.MaxDepth} levels deep; write it flatter.")]);
        }

        var item = (JsonObject)source.DeepClone();
        var check = new Checker(path, schema, errors);
        var result = kind switch
        {
            ViewKind.Filter => check.Filter(item),
            ViewKind.InfoTile => check.Tile(item, filters),
            _ => check.View(item, filters),
        };
        return errors.Count == 0 && result is { } ok ? (ok, []) : (null, errors);
    }

    /// <summary>The parsed forms; the JSON must have passed <see cref="Validate"/>.</summary>
    public static SavedFilter ToFilter(JsonObject o) =>
        new(Str(o, "id")!, Str(o, "limetype")!, o["name"]?.DeepClone(), o["filter"]!.DeepClone());

    public static InfoTile ToTile(JsonObject o) => new(
        Str(o, "id")!, o["name"]?.DeepClone(), Str(o, "limetype")!, Str(o, "filter")!, Str(o, "type")!, Str(o, "property"),
        Str(o, "color"), Str(o, "icon"), o["inactive"] is JsonValue v && v.TryGetValue<bool>(out var b) && b, Str(o, "prefix"), Str(o, "suffix"),
        o["divisor"] is JsonValue d && d.TryGetValue<double>(out var div) ? div : 1,
        o["decimals"] is JsonValue n && n.TryGetValue<int>(out var dec) ? dec : 0);

    public static TableView ToView(JsonObject o) => new(
        Str(o, "limetype")!,
        (o["columns"] as JsonArray ?? []).OfType<JsonObject>().Select(c => new ViewColumn(
            Str(c, "property")!, Str(c, "title") ?? Str(c, "property")!, Bool(c, "isDefault") ?? true, Bool(c, "aggregated") ?? false,
            Str(c["aggregate"] as JsonObject, "operator")?.ToUpperInvariant(), Str(c["aggregate"] as JsonObject, "key"),
            Str(c["component"] as JsonObject, "name"), (c["component"] as JsonObject)?["props"]?.DeepClone() as JsonObject)).ToList(),
        (o["tabs"] as JsonArray ?? []).OfType<JsonObject>().Select(t => new ViewTab(Str(t, "title") ?? Str(t, "relation")!, Str(t, "relation")!)).ToList(),
        (o["activities"] as JsonArray ?? []).OfType<JsonObject>().Select(a => new ViewActivity(Str(a, "title") ?? Str(a, "path")!, Str(a, "path")!)).ToList(),
        (o["filters"] as JsonArray ?? []).Select(f => f?.GetValue<string>() ?? "").ToList(),
        IsStored: true);

    private static string? Str(JsonObject? o, string key) => o?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static bool? Bool(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    private static string Root(string path) => path.Length == 0 ? "(root)" : path;

    private static string Slug(string text) =>
        SlugPattern().Replace(text.ToLowerInvariant(), "-").Trim('-') is { Length: > 0 } s ? s : "tile";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.\\-]{0,199}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex SlugPattern();

    private sealed partial class Checker(string path, CrmSchema schema, List<ConfigurationError> errors)
    {
        private string At(string key) => path.Length == 0 ? key : $"{path}.{key}";

        private void Error(string key, string message) => errors.Add(new(At(key), message));

        public ValidItem? Filter(JsonObject o)
        {
            Keys(o, FilterKeys, "");
            var id = Id(o, "a stable text such as webclient.helpdesk.mine");
            var lt = Limetype(o);
            Name(o, required: true);
            Optional(o, "description");
            if (o["filter"] is not JsonObject expression)
            {
                Error("filter", "the filter expression is missing: write {\"key\": PATH, \"op\": OP, \"exp\": VALUE} or {\"op\": \"AND\", \"exp\": [...]}.");
            }
            else if (lt is not null)
            {
                Compile(() => new SqlTranslator(schema, QueryContext.Anonymous).Where(expression, lt), "");
            }

            return id is null || lt is null ? null : new ValidItem(ViewKind.Filter, id, lt.Name, o);
        }

        public ValidItem? Tile(JsonObject o, IReadOnlyDictionary<string, string> filters)
        {
            Keys(o, TileKeys, "");
            var lt = Limetype(o);
            var name = Name(o, required: true);
            string? id;
            if (o.ContainsKey("id"))
            {
                id = Id(o, "a stable text such as helpdesk.unread");
            }
            else
            {
                // A tile file from the guide has no ids: the tile is known by its limetype and name.
                id = lt is null || name is null ? null : $"{lt.Name}.{Slug(name)}";
                o.Insert(0, "id", id);
            }

            var filter = Str(o, "filter");
            if (filter is null)
            {
                Error("filter", "name the filter whose objects the tile counts, by its id (for example webclient.helpdesk.ticketswithunreadmessages).");
            }
            else if (!filters.TryGetValue(filter, out var filterLimetype))
            {
                Error("filter", $"there is no filter '{filter}'. Create or import it first, or name one that exists.");
            }
            else if (lt is not null && filterLimetype != lt.Name)
            {
                Error("filter", $"the filter '{filter}' is for {filterLimetype}, the tile for {lt.Name}: use a filter on {lt.Name}.");
            }

            var type = Str(o, "type");
            if (type is not ("COUNT" or "SUM"))
            {
                Error("type", "write \"COUNT\" (how many objects match) or \"SUM\" (the total of a number property).");
            }

            var property = Str(o, "property");
            if (o["property"] is not null and not JsonValue || (o["property"] is JsonValue pv && pv.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Null)))
            {
                Error("property", "the property is a text: a number property of the limetype, such as value.");
            }
            else if (type == "SUM" && property is null)
            {
                Error("property", "SUM needs the number property to add up, such as \"value\".");
            }
            else if (property is not null && lt is not null)
            {
                var found = Compile(() => new SqlTranslator(schema, QueryContext.Anonymous).Scalar(property.Split('.'), 0, lt, SqlTranslator.RootAlias, At("property")), null);
                if (found is { } f && type == "SUM" && f.Type is not (PropertyType.Integer or PropertyType.Decimal))
                {
                    Error("property", $"'{property}' is not a number; SUM needs an integer or decimal property.");
                }
            }

            foreach (var key in new[] { "color", "icon", "prefix", "suffix" })
            {
                Optional(o, key);
            }

            Typed(o, "inactive", JsonValueKind.True, "write true or false.");
            if (o["divisor"] is { } divisor && !(divisor is JsonValue dv && dv.TryGetValue<double>(out var d) && d > 0))
            {
                Error("divisor", "the divisor is a number above 0, such as 1 or 1000.");
            }

            if (o["decimals"] is { } decimals && !(decimals is JsonValue nv && nv.TryGetValue<int>(out var n) && n is >= 0 and <= 6))
            {
                Error("decimals", "decimals is a whole number from 0 to 6.");
            }

            return id is null || lt is null ? null : new ValidItem(ViewKind.InfoTile, id, lt.Name, o);
        }

        private void Array(JsonObject o, string key, Limetype? lt, Action<JsonNode?, string> each)
        {
            if (o[key] is null || lt is null)
            {
                return;
            }

            if (o[key] is not JsonArray items)
            {
                Error(key, $"\"{key}\" is an array [...].");
                return;
            }

            for (var i = 0; i < items.Count; i++)
            {
                each(items[i], $"{key}[{i}]");
            }
        }

        private T? Compile<T>(Func<T> compile, string? prefix, Func<string, string>? rename = null)
        {
            try
            {
                return compile();
            }
            catch (QueryException ex)
            {
                var where = rename is null ? ex.Path : rename(ex.Path);
                errors.Add(new(prefix is null ? where : At(prefix.Length == 0 ? where : $"{prefix}.{where}"), ex.Message[(ex.Path.Length + 2)..]));
                return default;
            }
        }

        private void Keys(JsonObject o, string[] allowed, string prefix)
        {
            foreach (var (key, _) in o)
            {
                if (!allowed.Contains(key))
                {
                    Error(prefix + key, $"'{key}' is not a key here; the keys are {string.Join(", ", allowed)}.");
                }
            }
        }

        private string? Id(JsonObject o, string example)
        {
            var id = Str(o, "id");
            if (id is null || !IdPattern().IsMatch(id))
            {
                Error("id", $"the id is {example}: letters, digits, '.', '_' and '-', at most 200 characters.");
                return null;
            }

            return id;
        }

        private Limetype? Limetype(JsonObject o)
        {
            var name = Str(o, "limetype");
            if (name is not null && schema.Find(name) is { } lt)
            {
                return lt;
            }

            Error("limetype", name is null
                ? "name the limetype, such as \"helpdesk\"."
                : $"there is no limetype '{name}'; the limetypes are {string.Join(", ", schema.Limetypes.Keys.Order(StringComparer.Ordinal))}.");
            return null;
        }

        private string? Name(JsonObject o, bool required)
        {
            var name = o["name"];
            var display = ViewText.Display(name, "");
            var valid = name switch
            {
                null => !required,
                JsonValue v => v.TryGetValue<string>(out var s) && s.Trim().Length > 0,
                JsonObject languages => languages.Count > 0 && languages.All(l => l.Value is JsonValue lv && lv.TryGetValue<string>(out _)),
                _ => false,
            };
            if (!valid)
            {
                Error("name", "the name is a text or one text per language, such as {\"en\": \"Unread tickets\", \"sv\": \"Olästa ärenden\"}.");
                return null;
            }

            return display.Length == 0 ? null : display;
        }

        private void Optional(JsonObject o, string key, string prefix = "")
        {
            if (o[key] is { } value && !(value is JsonValue v && v.GetValueKind() is JsonValueKind.String or JsonValueKind.Null))
            {
                Error(prefix + key, $"'{key}' is a text.");
            }
        }

        private void Typed(JsonObject o, string key, JsonValueKind kind, string what, string prefix = "")
        {
            if (o[key] is { } value && !(kind == JsonValueKind.True && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False))
            {
                Error(prefix + key, what);
            }
        }
    }
}
