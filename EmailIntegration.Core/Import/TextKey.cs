namespace EmailIntegration.Core.Import;

/// <summary>Text keys as the database's NOCASE collation compares them: ASCII letters fold, nothing else does.</summary>
internal sealed class TextKey : IEqualityComparer<string>
{
    public static readonly TextKey Comparer = new();

    public bool Equals(string? x, string? y) => x is null || y is null ? x == y : string.Equals(Fold(x), Fold(y), StringComparison.Ordinal);

    public int GetHashCode(string value) => StringComparer.Ordinal.GetHashCode(Fold(value));

    private static string Fold(string value) => string.Create(value.Length, value, (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            span[i] = source[i] is >= 'A' and <= 'Z' ? (char)(source[i] + 32) : source[i];
        }
    });
}
