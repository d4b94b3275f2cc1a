namespace EmailIntegration.Core.Mail;

/// <summary>How a send ended when it did not plainly succeed.</summary>
public enum SendFailure
{
    /// <summary>Nothing was delivered and trying later may work (no connection, a 4xx reply).</summary>
    Transient,

    /// <summary>The server refused the message for good (a 5xx reply): retrying cannot help.</summary>
    Permanent,

    /// <summary>
    /// The connection failed after the whole message was written but before the server's answer:
    /// it may have been delivered, so it must not be sent again by itself.
    /// </summary>
    Uncertain,
}
