namespace EmailIntegration.Core.Views;

/// <summary>How a limetype's list and card look: columns, card tabs, activity feed sources and filter chips.</summary>
public sealed record TableView(
    string Limetype, IReadOnlyList<ViewColumn> Columns, IReadOnlyList<ViewTab> Tabs, IReadOnlyList<ViewActivity> Activities,
    IReadOnlyList<string> Filters, bool IsStored)
{
    /// <summary>The belongs-to paths a list query must select for this view's columns.</summary>
    public IReadOnlyList<string> QueryColumns =>
        Columns.Where(c => !c.Aggregated && c.Property.Contains('.', StringComparison.Ordinal)).Select(c => c.Property).Distinct().ToList();

    public IReadOnlyList<Crm.Query.Aggregate> QueryAggregates =>
        Columns.Where(c => c.Aggregated).Select(c => new Crm.Query.Aggregate(c.AggregateKey!, c.AggregateOperator!, c.Property)).ToList();
}
