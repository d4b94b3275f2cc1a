using EmailIntegration.Core.Settings;
using EmailIntegration.Tests.Infrastructure;

namespace EmailIntegration.Tests.Core.Import;

public sealed class RuntimeConfigurationTests : ImportTestBase
{
    [Fact]
    public async Task The_guides_example_with_a_real_account_id_is_what_is_stored()
    {
        var stored = await Host.Get<SettingsStore>().GetRuntimeAsync();

        var parent = Assert.Single(stored.ConversationParents);
        Assert.Equal("helpdesk", parent.Limetype);
        Assert.Equal([AccountId.ToString()], parent.Accounts);
        Assert.Equal(7, parent.Properties.Count);
    }

    [Theory]
    [InlineData("\"limetype\": \"helpdesk\"", "\"limetype\": \"helpdesks\"", "conversationParents[0].limetype", "no limetype \"helpdesks\"")]
    [InlineData("\"searchPath\": \"person.email\"", "\"searchPath\": \"person.mail\"", "conversationParents[0].properties[2].searchPath", "RELATION.PROPERTY")]
    [InlineData("\"searchPath\": \"person.company\"", "\"searchPath\": \"person.name\"", "conversationParents[0].properties[3].searchPath", "cannot fill company")]
    [InlineData("\"default\": \"email\"", "\"default\": \"fax\"", "conversationParents[0].properties[5].default", "not an option")]
    [InlineData("\"messageProperty\": \"subject\"", "\"messageProperty\": \"title\"", "conversationParents[0].properties[0].messageProperty", "not a message value")]
    [InlineData("\"propertyEarliestUnread\": \"earliestunread\"", "\"propertyEarliestUnread\": \"subject\"", "conversation.propertyEarliestUnread", "needs a time property")]
    [InlineData("\"personalizedEmails\": true", "\"personalisedEmails\": true", "personalisedEmails", "not part of the runtime configuration")]
    [InlineData("\"personalizedEmails\": true", "\"personalizedEmails\": \"yes\"", "personalizedEmails", "not valid here")]
    public async Task A_wrong_configuration_names_its_JSON_path_and_is_never_saved(string find, string replace, string path, string words)
    {
        var store = Host.Get<SettingsStore>();
        var before = await store.GetRuntimeJsonAsync();
        Assert.Contains(find, before, StringComparison.Ordinal);

        var errors = await store.SaveRuntimeAsync(before.Replace(find, replace, StringComparison.Ordinal), "test");

        var error = Assert.Single(errors, e => e.Path == path);
        Assert.Contains(words, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await store.GetRuntimeJsonAsync());
    }

    [Fact]
    public async Task A_property_the_configuration_uses_cannot_be_removed_and_one_it_does_not_use_can()
    {
        var schema = Host.Get<EmailIntegration.Core.Crm.Schema.SchemaService>();

        var refused = await Assert.ThrowsAsync<EmailIntegration.Core.Crm.Schema.CrmException>(() => schema.RemovePropertyAsync("helpdesk", "phone"));
        await schema.RemovePropertyAsync("deal", "value");

        Assert.Contains("runtime configuration (conversationParents[0].properties[6].property)", refused.Message, StringComparison.Ordinal);
        Assert.NotNull((await schema.GetAsync()).Get("helpdesk").Find("phone"));
        Assert.Null((await schema.GetAsync()).Get("deal").Find("value"));
    }

    [Fact]
    public async Task An_unknown_account_id_is_refused()
    {
        var store = Host.Get<SettingsStore>();
        var json = (await store.GetRuntimeJsonAsync()).Replace(AccountId.ToString(), Guid.NewGuid().ToString(), StringComparison.Ordinal);

        var errors = await store.SaveRuntimeAsync(json, "test");

        Assert.Contains(errors, e => e.Path == "conversationParents[0].accounts[0]" && e.Message.Contains("Accounts tab", StringComparison.Ordinal));
    }
}
