namespace EmailIntegration.Core.OAuth;

/// <summary>
/// A fresh access token, and the account's whole token set serialized for encrypted storage.
/// <see cref="SignedInAs"/> is the user the provider says consented (when it says).
/// </summary>
public sealed record OAuthTokenResult(string AccessToken, DateTimeOffset ExpiresOn, string? SignedInAs);
