using Microsoft.Extensions.Options;

namespace EmailIntegration.Core.Import;

/// <summary>How the watcher waits for mail (<c>EmailIntegration:Import</c>).</summary>
public sealed class ImportOptions
{
    public const string SectionName = "EmailIntegration:Import";

    /// <summary>Whether accounts are watched and imported at all (off only for maintenance and tests).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>IDLE is restarted this often; servers drop idle connections after about 30 minutes.</summary>
    public TimeSpan IdleRestart { get; set; } = TimeSpan.FromMinutes(9);

    /// <summary>How often a server without IDLE is asked for new mail.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The connection is renewed about this often (each watch a random tenth earlier or later, so many
    /// accounts started together do not all reconnect and import at once), and an OAuth2 session never
    /// outlives its token.
    /// </summary>
    public TimeSpan Reconnect { get; set; } = TimeSpan.FromMinutes(45);

    /// <summary>
    /// The most watchers signing in at once. With hundreds of accounts, a start would otherwise begin
    /// every TLS handshake together, and on a busy machine each of them would then take so long that
    /// sign-ins time out and back off instead of finishing one after another.
    /// </summary>
    public int ConcurrentSignIns { get; set; } = 16;

    /// <summary>
    /// The most live import passes (the watchers', over their own connections) running at once. They
    /// take turns for the one write lock anyway; more at once would only hold more downloaded mail in
    /// memory and queue longer for the lock (a start with many accounts runs a pass for each).
    /// </summary>
    public int ConcurrentPasses { get; set; } = 8;

    /// <summary>
    /// The most background jobs running at once: the passes an admin or the recovery asks for (each
    /// signs in on a connection of its own, so with many accounts they must overlap), archives, the outbox.
    /// </summary>
    public int ConcurrentJobs { get; set; } = 32;

    /// <summary>The most messages imported per transaction (one commit and one \Seen command each).</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// A batch ends after this long even when it holds fewer messages, so the write lock is never held
    /// for long (large attachments) and the first messages of a backlog show up soon.
    /// </summary>
    public TimeSpan BatchTime { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between reconnect attempts after errors (doubling from one second).</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The largest archive (.eml, .mbox, .zip) an admin can upload.</summary>
    public long ArchiveMaxUploadMb { get; set; } = 4096;

    /// <summary>The most entries a zip archive may hold.</summary>
    public int ArchiveMaxEntries { get; set; } = 200_000;

    /// <summary>The most a zip archive may unpack to, all entries together.</summary>
    public long ArchiveMaxUncompressedMb { get; set; } = 16384;
}
