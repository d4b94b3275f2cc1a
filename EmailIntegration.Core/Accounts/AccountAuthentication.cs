namespace EmailIntegration.Core.Accounts;

/// <summary>How an account signs in to its mailbox.</summary>
public enum AccountAuthentication
{
    OAuth2 = 1,
    Password = 2,
}
