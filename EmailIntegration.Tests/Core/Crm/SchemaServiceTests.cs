using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Tests.Infrastructure;

namespace EmailIntegration.Tests.Core.Crm;

public sealed class SchemaServiceTests : CrmTestBase
{
    [Fact]
    public async Task A_new_limetype_with_a_belongs_to_gets_the_has_many_inverse_and_stores_objects()
    {
        await Database.Schema.AddLimetypeAsync("invoice", "Invoice");
        await Database.Schema.AddPropertyAsync("invoice", new NewProperty("amount", "Amount", PropertyType.Decimal, Required: true));
        await Database.Schema.AddPropertyAsync("invoice", new NewProperty("company", "Company", PropertyType.BelongsTo,
            RelatedLimetype: "company", InverseName: "invoice", InverseLabel: "Invoices"));

        var schema = await Database.Schema.GetAsync();
        var inverse = schema.Get("company").Find("invoice");
        Assert.NotNull(inverse);
        Assert.Equal(PropertyType.HasMany, inverse!.Type);
        Assert.Equal("company", inverse.InverseProperty);

        var company = await Database.Store.CreateAsync("company", new Dictionary<string, object?> { ["name"] = "Acme" }, "test");
        var invoice = await Database.Store.CreateAsync("invoice", new Dictionary<string, object?> { ["amount"] = 12.5, ["company"] = company }, "test");
        var read = await Database.Store.GetAsync("invoice", invoice);
        Assert.Equal(12.5, read!["amount"]);
        Assert.Equal(company, read["company"]);
    }

    [Theory]
    [InlineData("Invoice")]
    [InlineData("in voice")]
    [InlineData("x\"; DROP TABLE lt_person; --")]
    [InlineData("")]
    public async Task A_name_that_is_not_lower_case_letters_digits_and_underscore_is_refused(string name)
    {
        var error = await Assert.ThrowsAsync<CrmException>(() => Database.Schema.AddLimetypeAsync(name, "X"));

        Assert.Contains("not a valid limetype name", error.Message, StringComparison.Ordinal);
        Assert.NotNull((await Database.Schema.GetAsync()).Find("person"));
    }

    [Fact]
    public async Task Relabelling_a_property_keeps_its_data()
    {
        var id = await Database.Store.CreateAsync("person", new Dictionary<string, object?> { ["name"] = "Ann", ["mobilephone"] = "123" }, "test");

        await Database.Schema.RelabelPropertyAsync("person", "mobilephone", "Cell phone");

        Assert.Equal("Cell phone", (await Database.Schema.GetAsync()).Get("person").Find("mobilephone")!.Label);
        Assert.Equal("123", (await Database.Store.GetAsync("person", id))!["mobilephone"]);
    }

    [Fact]
    public async Task Removing_a_property_that_holds_data_is_refused_and_says_how_much()
    {
        await Database.Store.CreateAsync("person", new Dictionary<string, object?> { ["name"] = "Ann", ["phone"] = "555" }, "test");
        await Database.Store.CreateAsync("person", new Dictionary<string, object?> { ["name"] = "Bob", ["phone"] = "556" }, "test");

        var error = await Assert.ThrowsAsync<CrmException>(() => Database.Schema.RemovePropertyAsync("person", "phone"));

        Assert.Contains("2 person object(s) have a value in 'phone'", error.Message, StringComparison.Ordinal);
        Assert.NotNull((await Database.Schema.GetAsync()).Get("person").Find("phone"));
    }

    [Fact]
    public async Task Removing_an_unused_property_drops_it_and_its_relation_inverse()
    {
        await Database.Schema.AddPropertyAsync("helpdesk", new NewProperty("reviewer", "Reviewer", PropertyType.BelongsTo,
            RelatedLimetype: "coworker", InverseName: "reviews"));

        await Database.Schema.RemovePropertyAsync("helpdesk", "reviewer");

        var schema = await Database.Schema.GetAsync();
        Assert.Null(schema.Get("helpdesk").Find("reviewer"));
        Assert.Null(schema.Get("coworker").Find("reviews"));
        // The table still works without the column.
        Assert.True(await Database.Store.CreateAsync("helpdesk", new Dictionary<string, object?> { ["subject"] = "x" }, "test") > 0);
    }

    [Fact]
    public async Task Removing_the_has_many_side_is_refused_with_the_side_to_remove_instead()
    {
        var error = await Assert.ThrowsAsync<CrmException>(() => Database.Schema.RemovePropertyAsync("company", "person"));

        Assert.Contains("Remove that belongs-to property instead", error.Message, StringComparison.Ordinal);
        Assert.Contains("person.company", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_option_property_needs_options_and_a_relation_needs_a_known_target()
    {
        var noOptions = await Assert.ThrowsAsync<CrmException>(() =>
            Database.Schema.AddPropertyAsync("person", new NewProperty("tier", "Tier", PropertyType.Option)));
        var noTarget = await Assert.ThrowsAsync<CrmException>(() =>
            Database.Schema.AddPropertyAsync("person", new NewProperty("boss", "Boss", PropertyType.BelongsTo, RelatedLimetype: "nothing")));
        var duplicate = await Assert.ThrowsAsync<CrmException>(() =>
            Database.Schema.AddPropertyAsync("person", new NewProperty("email", "Email", PropertyType.Text)));

        Assert.Contains("at least one option", noOptions.Message, StringComparison.Ordinal);
        Assert.Contains("Choose the limetype", noTarget.Message, StringComparison.Ordinal);
        Assert.Contains("already has a property named 'email'", duplicate.Message, StringComparison.Ordinal);
    }
}
