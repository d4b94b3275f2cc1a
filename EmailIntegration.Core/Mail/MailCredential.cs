namespace EmailIntegration.Core.Mail;

/// <summary>How to sign in: a password, or an OAuth2 access token for XOAUTH2.</summary>
public sealed record MailCredential(string UserName, string Secret, bool IsOAuthToken);
