using System.Security.Cryptography;
using System.Text;
using EmailIntegration.Core.Hosting;
using EmailIntegration.Core.Security;
using Microsoft.Extensions.Options;

namespace EmailIntegration.Core.Mail.BuiltIn;

/// <summary>
/// How accounts reach the built-in mailbox: its servers on loopback and the one password every built-in
/// address signs in with (made on first use, kept encrypted in the data folder).
/// </summary>
public sealed class BuiltInMailbox(IOptions<BuiltInMailOptions> options, DataFolderOptions dataFolder, SecretProtector protector)
{
    private readonly Lock gate = new();
    private readonly TaskCompletionSource turnedOn = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? password;

    public BuiltInMailOptions Options => options.Value;

    /// <summary>On by configuration (or demo mode), or turned on once from the first-run page and kept on since.</summary>
    public bool IsOn => Options.Enabled || File.Exists(Marker("on"));

    /// <summary>This install was made a demo (by <c>--demo</c> or from the first-run page).</summary>
    public bool IsDemo(bool demoMode) => demoMode || File.Exists(Marker("demo"));

    /// <summary>Turns the built-in mailbox on for good (the choice is kept in the data folder) and starts its services.</summary>
    public void TurnOn(bool demo)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Marker("on"))!);
        File.WriteAllText(Marker("on"), "");
        if (demo)
        {
            File.WriteAllText(Marker("demo"), "");
        }

        turnedOn.TrySetResult();
    }

    /// <summary>Completes once the built-in mailbox is on.</summary>
    public Task WaitUntilOnAsync(CancellationToken cancellationToken) => IsOn ? Task.CompletedTask : turnedOn.Task.WaitAsync(cancellationToken);

    private string Marker(string name) => Path.Combine(dataFolder.FullDataPath, "mailstore", name);

    public MailServer Imap => new(Options.Host, Options.ImapPort, MailSecurity.None);

    public MailServer Smtp => new(Options.Host, Options.SmtpPort, MailSecurity.None);

    /// <summary>The password of every built-in address.</summary>
    public string Password
    {
        get
        {
            lock (gate)
            {
                return password ??= LoadOrCreate();
            }
        }
    }

    public bool SignIn(string address, string secret) =>
        address.Contains('@') && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(Password));

    private string LoadOrCreate()
    {
        var path = Path.Combine(dataFolder.FullDataPath, "mailstore", "credential");
        if (File.Exists(path) && protector.TryUnprotect(File.ReadAllText(path)) is { Length: > 0 } stored)
        {
            return stored;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var created = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        File.WriteAllText(path, protector.Protect(created));
        return created;
    }
}
