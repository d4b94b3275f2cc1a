using System.Text.Json;
using EmailIntegration.Core.Settings;
using EmailIntegration.Tests.Infrastructure;

namespace EmailIntegration.Tests.Core.Import;

public sealed class StandardMappingTests
{
    private static RuntimeConfiguration Read(string json) => JsonSerializer.Deserialize<RuntimeConfiguration>(json, RuntimeConfiguration.JsonOptions)!;

    [Fact]
    public void The_standard_mapping_is_the_guides_example_entry_for_the_account()
    {
        var account = Guid.NewGuid();
        var guide = Read(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Core", "Crm", "SeedRuntimeConfiguration.json"))
            .Replace("<account_id>", account.ToString(), StringComparison.Ordinal));

        var added = Read(StandardMapping.AddAccount(new RuntimeConfiguration().ToJson(), account));

        Assert.Equal(
            JsonSerializer.Serialize(Assert.Single(guide.ConversationParents), RuntimeConfiguration.JsonOptions),
            JsonSerializer.Serialize(Assert.Single(added.ConversationParents), RuntimeConfiguration.JsonOptions));
    }

    [Fact]
    public void A_second_account_joins_the_existing_helpdesk_entry_once_and_the_rest_of_the_configuration_stays()
    {
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        var json = StandardMapping.AddAccount(new RuntimeConfiguration { PersonalizedEmails = false }.ToJson(), first);

        json = StandardMapping.AddAccount(StandardMapping.AddAccount(json, second), second);

        var configuration = Read(json);
        Assert.False(configuration.PersonalizedEmails);
        Assert.Equal([first.ToString(), second.ToString()], Assert.Single(configuration.ConversationParents).Accounts);
        Assert.Single(configuration.ParentsFor(second));
    }
}
