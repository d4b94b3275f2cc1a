namespace EmailIntegration.Core.Views;

/// <summary>One line of a diff between the stored item and the imported one.</summary>
public sealed record DiffLine(char Change, string Text);
