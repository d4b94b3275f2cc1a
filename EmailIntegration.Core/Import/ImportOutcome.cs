namespace EmailIntegration.Core.Import;

public enum ImportOutcome
{
    Imported,

    /// <summary>Already imported (a dedupe hit): only marked seen.</summary>
    Duplicate,

    /// <summary>Moved to the failure folder with its reason and raw message.</summary>
    Failed,
}
