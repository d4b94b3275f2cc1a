using EmailIntegration.Core.Crm.Objects;

namespace EmailIntegration.Core.Import;

/// <summary>
/// Turns an incoming message into records inside the import's transaction. The application
/// configuration's <c>incoming_message_webhook_task</c> names the one that runs; the built-in
/// importer is the default. A handler that throws fails the message (failure folder), never the account.
/// </summary>
public interface IIncomingMessageHandler
{
    string Name { get; }

    Task<HandlerResult> HandleAsync(ObjectSession session, IncomingContext context, CancellationToken cancellationToken);
}
