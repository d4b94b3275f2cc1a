using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Persistence;
using EmailIntegration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EmailIntegration.Tests.Core.Crm;

public sealed class ObjectStoreTests : CrmTestBase
{
    private ObjectStore Store => Database.Store;

    [Fact]
    public async Task An_object_is_created_read_updated_and_deleted_with_its_timestamps_and_author()
    {
        var before = DateTime.UtcNow.AddSeconds(-1);
        var id = await Store.CreateAsync("helpdesk", new Dictionary<string, object?>
        {
            ["subject"] = "Printer broken",
            ["status"] = "reported",
            ["source"] = "email",
        }, "ada@example.test");

        var created = await Store.GetAsync("helpdesk", id);
        Assert.Equal("Printer broken", created!["subject"]);
        Assert.Equal("reported", created["status"]);
        Assert.Equal("ada@example.test", created[CrmSchema.UpdatedByKey]);
        Assert.InRange((DateTime)created[CrmSchema.CreatedKey]!, before, DateTime.UtcNow.AddSeconds(1));

        await Store.UpdateAsync("helpdesk", id, new Dictionary<string, object?> { ["status"] = "done" }, "bob@example.test");
        var updated = await Store.GetAsync("helpdesk", id);
        Assert.Equal("done", updated!["status"]);
        Assert.Equal("Printer broken", updated["subject"]);
        Assert.Equal("bob@example.test", updated[CrmSchema.UpdatedByKey]);

        Assert.True(await Store.DeleteAsync("helpdesk", id, "bob@example.test"));
        Assert.Null(await Store.GetAsync("helpdesk", id));
        Assert.False(await Store.DeleteAsync("helpdesk", id, "bob@example.test"));
    }

    [Fact]
    public async Task Values_that_do_not_fit_the_schema_are_refused_each_with_its_reason_and_nothing_is_stored()
    {
        var error = await Assert.ThrowsAsync<ObjectValidationException>(() => Store.CreateAsync("helpdesk", new Dictionary<string, object?>
        {
            ["subject"] = "x",
            ["status"] = "lost",
            ["person"] = 999_999L,
            ["colour"] = "red",
        }, "test"));

        Assert.Contains("'lost' is not an option of status", error.Errors["status"], StringComparison.Ordinal);
        Assert.Contains("There is no person with id 999999", error.Errors["person"], StringComparison.Ordinal);
        Assert.Contains("has no property 'colour'", error.Errors["colour"], StringComparison.Ordinal);
        Assert.Equal(0, await Store.CountAsync("helpdesk", null, QueryContext.Anonymous));
    }

    [Fact]
    public async Task Types_are_checked_and_converted()
    {
        var error = await Assert.ThrowsAsync<ObjectValidationException>(() => Store.CreateAsync("deal", new Dictionary<string, object?>
        {
            ["value"] = "a lot",
        }, "test"));
        Assert.Contains("'a lot' is not a valid decimal for value", error.Errors["value"], StringComparison.Ordinal);

        var timeError = await Assert.ThrowsAsync<ObjectValidationException>(() => Store.CreateAsync("conversation", new Dictionary<string, object?>
        {
            ["earliestunread"] = "yesterday",
        }, "test"));
        Assert.Contains("time (ISO 8601", timeError.Errors["earliestunread"], StringComparison.Ordinal);

        var id = await Store.CreateAsync("conversationmessage", new Dictionary<string, object?>
        {
            ["date"] = "2026-03-01T10:15:00+02:00",
            ["incoming"] = true,
            ["isread"] = "false",
        }, "test");
        var message = await Store.GetAsync("conversationmessage", id);
        Assert.Equal(new DateTime(2026, 3, 1, 8, 15, 0, DateTimeKind.Utc), message!["date"]);
        Assert.Equal(true, message["incoming"]);
        Assert.Equal(false, message["isread"]);
        Assert.Equal(false, message["automatic"]);
    }

    [Fact]
    public async Task A_required_property_must_be_given_and_cannot_be_cleared()
    {
        var missing = await Assert.ThrowsAsync<ObjectValidationException>(() => Store.CreateAsync("company", new Dictionary<string, object?>(), "test"));
        Assert.Equal("Name is required.", missing.Errors["name"]);

        var id = await Store.CreateAsync("company", new Dictionary<string, object?> { ["name"] = "Acme" }, "test");
        var cleared = await Assert.ThrowsAsync<ObjectValidationException>(() =>
            Store.UpdateAsync("company", id, new Dictionary<string, object?> { ["name"] = "" }, "test"));
        Assert.Equal("Name is required.", cleared.Errors["name"]);
    }

    [Fact]
    public async Task Deleting_a_related_object_empties_the_relation_instead_of_leaving_a_dangling_id()
    {
        var company = await Store.CreateAsync("company", new Dictionary<string, object?> { ["name"] = "Acme" }, "test");
        var person = await Store.CreateAsync("person", new Dictionary<string, object?> { ["name"] = "Ann", ["company"] = company }, "test");

        await Store.DeleteAsync("company", company, "test");

        Assert.Null((await Store.GetAsync("person", person))!["company"]);
    }

    [Fact]
    public async Task A_session_that_is_not_committed_leaves_nothing_behind()
    {
        await using (var session = await Store.OpenAsync("import"))
        {
            var ticket = await session.CreateAsync("helpdesk", new Dictionary<string, object?> { ["subject"] = "half done" });
            await session.CreateAsync("conversation", new Dictionary<string, object?> { ["helpdesk"] = ticket });
        }

        Assert.Equal(0, await Store.CountAsync("helpdesk", null, QueryContext.Anonymous));
        Assert.Equal(0, await Store.CountAsync("conversation", null, QueryContext.Anonymous));
    }

    [Fact]
    public async Task Reading_neither_waits_for_a_writer_nor_sees_what_it_has_not_committed()
    {
        var committed = await Store.CreateAsync("helpdesk", new Dictionary<string, object?> { ["subject"] = "committed" }, "agent");
        await using var writer = await Store.OpenAsync("import");
        await writer.CreateAsync("helpdesk", new Dictionary<string, object?> { ["subject"] = "not yet" });

        // While the writer holds the write lock (an import's batch), a page still reads at once.
        var rows = await Store.QueryAsync(new LimeQuery("helpdesk"), QueryContext.Anonymous).WaitAsync(TimeSpan.FromSeconds(10));
        var one = await Store.GetAsync("helpdesk", committed).WaitAsync(TimeSpan.FromSeconds(10));
        var count = await Store.CountAsync("helpdesk", null, QueryContext.Anonymous).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("committed", Assert.Single(rows)["subject"]);
        Assert.Equal("committed", one!.Text("subject"));
        Assert.Equal(1, count);
        await writer.CommitAsync();
        Assert.Equal(2, await Store.CountAsync("helpdesk", null, QueryContext.Anonymous));
    }

    [Fact]
    public async Task A_lookup_by_an_indexed_property_is_an_index_seek_and_ignores_case()
    {
        await Store.CreateAsync("person", new Dictionary<string, object?> { ["name"] = "Ann", ["email"] = "Ann@Example.test" }, "test");

        await using var session = await Store.OpenAsync(null);
        var found = await session.FindAsync("person", "email", "ann@example.TEST");
        Assert.Equal("Ann", Assert.Single(found)["name"]);

        // The plan of the very statement the lookup runs, not of a hand-written one.
        var plan = await session.ExplainAsync(ObjectSession.FindQuery("person", "email", "ann@example.TEST", 50), QueryContext.Anonymous);

        Assert.Contains(plan, line => line.Contains("INDEX ix_lt_person_email", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Writers_of_one_process_take_turns_in_the_order_they_came_and_each_sees_what_the_one_before_committed()
    {
        var first = await Store.OpenAsync("first");
        var ticket = await first.CreateAsync("helpdesk", new Dictionary<string, object?> { ["subject"] = "0" });

        // Ten writers come while the first holds the write lock; each appends its number to the subject.
        var order = new List<int>();
        var writers = new List<Task>();
        for (var i = 1; i <= 10; i++)
        {
            var n = i;
            writers.Add(Task.Run(async () =>
            {
                await using var session = await Store.OpenAsync($"writer {n}");
                lock (order)
                {
                    order.Add(n);
                }

                var subject = (await session.GetAsync("helpdesk", ticket))!.Text("subject");
                await session.UpdateAsync("helpdesk", ticket, new Dictionary<string, object?> { ["subject"] = $"{subject},{n}" });
                await session.CommitAsync();
            }));
            await Task.Delay(20);
        }

        Assert.Empty(order);
        await first.CommitAsync();
        await first.DisposeAsync();
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Enumerable.Range(1, 10), order);
        Assert.Equal("0," + string.Join(",", Enumerable.Range(1, 10)), (await Store.GetAsync("helpdesk", ticket))!.Text("subject"));
    }

    [Fact]
    public async Task A_query_that_names_its_properties_reads_only_those_and_a_name_that_is_not_stored_is_refused()
    {
        var id = await Store.CreateAsync("helpdesk", new Dictionary<string, object?> { ["subject"] = "Printer", ["status"] = "reported" }, "test");

        await using var session = await Store.OpenReadAsync();
        var found = Assert.Single(await session.FindAsync("helpdesk", "subject", "printer", 5, ["status"]));
        Assert.Equal(id, found.Id);
        Assert.Equal("reported", found["status"]);
        Assert.False(found.Values.ContainsKey("subject"));
        Assert.Equal("Printer", (await session.GetAsync("helpdesk", id))!["subject"]);

        var refused = await Assert.ThrowsAsync<QueryException>(() => session.GetAsync("helpdesk", id, ["nosuchproperty"]));
        Assert.Contains("nosuchproperty", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_schema_tables_are_in_the_same_database_as_everything_else()
    {
        await using var db = await Database.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();

        Assert.True(await db.Set<LimetypeEntity>().CountAsync() >= 12);
    }
}
