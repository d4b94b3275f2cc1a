namespace EmailIntegration.Core.OAuth;

public enum SecretExpiryLevel
{
    Ok,
    ExpiresSoon,
    Expired,
}
