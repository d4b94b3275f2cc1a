using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Settings;

namespace EmailIntegration.Core.Import;

/// <summary>An account's <see cref="ImportTarget"/> as the settings stand now.</summary>
internal sealed class ImportTargets(AccountService accounts, SettingsStore settings, IEnumerable<IIncomingMessageHandler> handlers)
{
    public async Task<ImportTarget> GetAsync(Guid accountId, bool notify, CancellationToken cancellationToken)
    {
        var account = await accounts.GetAsync(accountId, cancellationToken) ?? throw new ImportStoppedException("The account was deleted.");
        var application = await settings.GetApplicationAsync(cancellationToken);
        var runtime = await settings.GetRuntimeAsync(cancellationToken);
        var handler = handlers.FirstOrDefault(h => h.Name == application.IncomingMessageWebhookTask)
            ?? throw new ImportStoppedException(
                $"No message handler is registered as \"{application.IncomingMessageWebhookTask}\"; set incoming_message_webhook_task to {ApplicationConfiguration.BuiltInHandler} or a registered handler.");
        var ownAddresses = (await accounts.ListAsync(cancellationToken)).Select(a => a.EmailAddress).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new ImportTarget(account, runtime, application, handler, ownAddresses, notify);
    }
}
