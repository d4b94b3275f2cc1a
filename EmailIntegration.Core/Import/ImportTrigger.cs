namespace EmailIntegration.Core.Import;

/// <summary>Why an import pass runs; recorded on the run.</summary>
public enum ImportTrigger
{
    /// <summary>New mail announced by IDLE, or the polling fallback.</summary>
    Live,

    /// <summary>"Handle unprocessed emails": only mail older than the grace period.</summary>
    Recovery,

    /// <summary>An admin asked for it.</summary>
    Manual,
}
