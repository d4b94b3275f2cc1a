namespace EmailIntegration.Core.Mail;

/// <summary>Where a browser would fetch a URL from, as far as the remote-content block cares.</summary>
public enum FetchTarget
{
    /// <summary>The App's own origin (a path or a relative URL), an inline <c>cid:</c> part or a raster <c>data:image</c>.</summary>
    Local,

    /// <summary>Another host over http(s), written in any of the forms browsers accept (<c>//host</c>, <c>\\host</c>, <c>https:/\host</c>, ...).</summary>
    Remote,

    /// <summary>Anything else in an image or style position (<c>javascript:</c>, <c>data:image/svg+xml</c>, <c>ftp:</c>, ...): never shown.</summary>
    Refused,
}
