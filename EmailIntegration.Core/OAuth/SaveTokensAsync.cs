namespace EmailIntegration.Core.OAuth;

/// <summary>Saves a changed token set the moment the provider hands it out.</summary>
public delegate Task SaveTokensAsync(string tokens, CancellationToken cancellationToken);
