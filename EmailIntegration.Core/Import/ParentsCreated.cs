namespace EmailIntegration.Core.Import;

/// <summary>What a run created, per parent limetype, and the conversations it could not complete, with why.</summary>
public sealed record ParentsCreated(int Conversations, IReadOnlyDictionary<string, int> Created, IReadOnlyList<string> Problems)
{
    public int Total => Created.Values.Sum();
}
