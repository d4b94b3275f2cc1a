namespace EmailIntegration.App.Components.Shared.Connection;

/// <summary>
/// Whether this circuit's connection to the browser dropped. A drop can lose the input events the browser
/// sent just before it (one too large, or cut off), so a save that follows refuses until the person has looked.
/// </summary>
internal sealed class ConnectionState
{
    private int drops;

    /// <summary>How many times the connection dropped since the page was opened.</summary>
    public int Drops => Volatile.Read(ref drops);

    public bool Down { get; private set; }

    /// <summary>Raised on a drop and on the return, from the circuit's handler.</summary>
    public event Action? Changed;

    /// <summary>
    /// True when the connection dropped since <paramref name="seen"/> (a page's last load or save): the
    /// server may not hold what the person sees. <paramref name="seen"/> moves on, so a second save, after
    /// the person has checked, goes through.
    /// </summary>
    public bool DroppedSince(ref int seen)
    {
        var now = Drops;
        var dropped = now != seen;
        seen = now;
        return dropped;
    }

    public const string NotSavedMessage =
        "Not saved: the connection to the server dropped while you edited, so what you typed just before may not have reached it. " +
        "The page now shows what the server has: check it, make your change again and save.";

    /// <summary>
    /// Refuses a save (with a message that says why) when the connection dropped since <paramref name="seen"/>;
    /// the caller then shows the server's values again.
    /// </summary>
    public bool RefuseSave(ref int seen, MudBlazor.ISnackbar snackbar)
    {
        if (!DroppedSince(ref seen))
        {
            return false;
        }

        snackbar.Add(NotSavedMessage, MudBlazor.Severity.Warning);
        return true;
    }

    internal void OnDown()
    {
        Interlocked.Increment(ref drops);
        Down = true;
        Changed?.Invoke();
    }

    internal void OnUp()
    {
        Down = false;
        Changed?.Invoke();
    }
}
