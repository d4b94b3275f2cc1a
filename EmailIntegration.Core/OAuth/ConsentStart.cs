namespace EmailIntegration.Core.OAuth;

/// <summary>A started consent: where to send the admin, and the value of the browser binding cookie.</summary>
public sealed record ConsentStart(Uri AuthorizeUrl, string Binding, DateTime ExpiresUtc);
