namespace EmailIntegration.Core.Notifications;

/// <summary>Wakes the send job after rows are committed, so mail leaves in seconds rather than at the next poll.</summary>
public interface IOutboxSignal
{
    void Wake();
}
