namespace EmailIntegration.Core.Mail.BuiltIn;

/// <summary>One message read whole: its main headers, its body sanitized for showing, and its raw source.</summary>
public sealed record MailView(MailSummary Summary, IReadOnlyList<KeyValuePair<string, string>> Headers, SafeHtml Body, string Raw, bool RawCut);
