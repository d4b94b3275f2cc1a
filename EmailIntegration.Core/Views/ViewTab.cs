namespace EmailIntegration.Core.Views;

/// <summary>A tab on the record card: the related objects of one has-many relation.</summary>
public sealed record ViewTab(string Title, string Relation);
