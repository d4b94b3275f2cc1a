using System.Runtime.CompilerServices;

namespace EmailIntegration.Tests.Infrastructure;

internal static class TestProcessSetup
{
    /// <summary>
    /// Tests build messages with MimeKit before any App starts in this process; the legacy charsets
    /// must be registered before MimeKit's first use, as the App does at start.
    /// </summary>
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "The test process must register encodings before any test runs.")]
    internal static void Initialize() => EmailIntegration.Core.Mail.MessageReader.RegisterLegacyCharsets();
}
