using Xunit.Abstractions;

[assembly: TestCollectionOrderer("EmailIntegration.Tests.Infrastructure.LongestFirstOrderer", "EmailIntegration.Tests")]

namespace EmailIntegration.Tests.Infrastructure;

/// <summary>
/// Marks a test class that takes long on two cores (about <paramref name="seconds"/>, all its tests together), so
/// it starts before the short ones; the longest first.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RunsLongAttribute(int seconds) : Attribute
{
    public int Seconds { get; } = seconds;
}

/// <summary>
/// Starts the classes marked <see cref="RunsLongAttribute"/> first, then the browser classes, then the rest:
/// the runner keeps as many classes going as there are cores, and a long class started last would run
/// alone at the end while the short ones could have filled the time beside it.
/// </summary>
public sealed class LongestFirstOrderer : ITestCollectionOrderer
{
    private const string PerClassPrefix = "Test collection for ";

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(Rank).ThenBy(c => c.DisplayName, StringComparer.Ordinal);

    private static long Rank(ITestCollection collection)
    {
        var name = collection.DisplayName.StartsWith(PerClassPrefix, StringComparison.Ordinal)
            ? collection.DisplayName[PerClassPrefix.Length..]
            : collection.DisplayName;
        var type = typeof(LongestFirstOrderer).Assembly.GetType(name);
        if (type?.GetCustomAttributes(typeof(RunsLongAttribute), inherit: false).FirstOrDefault() is RunsLongAttribute runsLong)
        {
            return -runsLong.Seconds;
        }

        return name.Contains(".App.Browser.", StringComparison.Ordinal) ? 1 : 2;
    }
}
