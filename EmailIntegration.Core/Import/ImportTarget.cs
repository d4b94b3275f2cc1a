using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Settings;

namespace EmailIntegration.Core.Import;

/// <summary>What every message of a pass is imported into and with, whatever the messages come from.</summary>
/// <param name="Notify">False for mail imported from an archive: old mail notifies no follower.</param>
internal sealed record ImportTarget(
    MailAccountSummary Account, RuntimeConfiguration Runtime, ApplicationConfiguration Application,
    IIncomingMessageHandler Handler, IReadOnlySet<string> OwnAddresses, bool Notify);
