using System.Text.Json.Nodes;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Tests.Infrastructure;

namespace EmailIntegration.Tests.Core.Crm;

public sealed class DefaultSchemaTests : CrmTestBase
{
    [Fact]
    public async Task Every_limetype_and_property_the_guides_example_configuration_names_exists_with_a_fitting_type()
    {
        var schema = await Database.Schema.GetAsync();
        var config = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Core", "Crm", "SeedRuntimeConfiguration.json")))!;
        var checkedNames = 0;

        void Expect(string limetype, string property, params PropertyType[] types)
        {
            var lt = schema.Find(limetype);
            Assert.True(lt is not null, $"limetype '{limetype}' is missing");
            var p = lt!.Find(property);
            Assert.True(p is not null, $"'{limetype}.{property}' is missing");
            Assert.True(types.Contains(p!.Type), $"'{limetype}.{property}' is {p.Type}, expected {string.Join(" or ", types)}");
            checkedNames++;
        }

        foreach (var parent in config["conversationParents"]!.AsArray())
        {
            var limetype = (string)parent!["limetype"]!;
            Expect(limetype, (string)parent["relationConversation"]!, PropertyType.HasMany);
            Expect(limetype, (string)parent["relationDocument"]!, PropertyType.HasMany);
            foreach (var mapping in parent["properties"]!.AsArray())
            {
                Expect(limetype, (string)mapping!["property"]!, PropertyType.Text, PropertyType.Option, PropertyType.BelongsTo);
                if ((string?)mapping["searchPath"] is { } searchPath)
                {
                    var parts = searchPath.Split('.');
                    Expect(limetype, parts[0], PropertyType.BelongsTo);
                    Expect(schema.Get(limetype).Find(parts[0])!.RelatedLimetype!, parts[1], PropertyType.Text, PropertyType.BelongsTo);
                }
            }
        }

        foreach (var follower in config["followerParents"]!.AsArray())
        {
            var limetype = (string)follower!["limetype"]!;
            Expect(limetype, (string)follower["propertyAddress"]!, PropertyType.Text);
            Expect(limetype, (string)follower["propertyName"]!, PropertyType.Text);
            Expect(limetype, (string)follower["relationFollower"]!, PropertyType.HasMany);
        }

        foreach (var section in new[] { "conversation", "conversationMessage", "follower", "messageFollower", "document", "embeddedFile" })
        {
            var node = config[section]!.AsObject();
            var limetype = (string)node["limetype"]!;
            foreach (var (key, value) in node)
            {
                if (key.StartsWith("property", StringComparison.Ordinal))
                {
                    Expect(limetype, (string)value!, PropertyType.Text, PropertyType.Time, PropertyType.Option, PropertyType.YesNo, PropertyType.File);
                }
                else if (key.StartsWith("relation", StringComparison.Ordinal))
                {
                    Expect(limetype, (string)value!, PropertyType.BelongsTo);
                }
            }
        }

        // The option values the example sets must be keys of their options.
        Assert.True(schema.Get("helpdesk").Find("source")!.HasOption("email"));
        Assert.True(schema.Get("conversation").Find("source")!.HasOption("email"));
        Assert.True(schema.Get("document").Find("type")!.HasOption("other"));
        Assert.True(checkedNames > 50, $"only {checkedNames} names checked");
    }

    [Fact]
    public async Task The_default_schema_has_the_tickets_statuses_and_an_import_error_limetype()
    {
        var schema = await Database.Schema.GetAsync();

        var status = schema.Get("helpdesk").Find("status")!;
        Assert.Equal(["reported", "started", "done"], status.Options.Select(o => o.Key).ToArray());
        Assert.NotNull(schema.Find("importerror"));
        Assert.Equal("username", schema.Get("coworker").Find("username")!.Name);
    }

    [Fact]
    public async Task Creating_the_default_schema_again_changes_nothing()
    {
        var before = await Database.Schema.GetAsync();

        await Database.Schema.EnsureDefaultSchemaAsync();
        var after = await Database.Schema.GetAsync();

        Assert.Equal(before.Limetypes.Keys.Order(), after.Limetypes.Keys.Order());
        Assert.All(before.Limetypes.Values, lt => Assert.Equal(lt.Properties.Count, after.Get(lt.Name).Properties.Count));
    }
}
