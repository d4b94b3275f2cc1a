namespace EmailIntegration.Core.OAuth;

/// <summary>What a token client needs: the application, its decrypted secret, and the options.</summary>
public sealed record OAuthClientContext(OAuthApplication Application, string ClientSecret);
