using System.Net;
using System.Net.Sockets;
using EmailIntegration.Core.Mail.BuiltIn;

namespace EmailIntegration.Tests.Infrastructure;

/// <summary>Settings for an App whose built-in mailbox listens on free loopback ports, and a client's view of it.</summary>
public static class BuiltInMail
{
    public static Dictionary<string, string> Settings(bool demo = false, int maxMessageSizeMb = 25, bool enabled = true)
    {
        var settings = new Dictionary<string, string>
        {
            [$"{BuiltInMailOptions.Section}:Enabled"] = enabled ? "true" : "false",
            [$"{BuiltInMailOptions.Section}:SmtpPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            [$"{BuiltInMailOptions.Section}:ImapPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            [$"{BuiltInMailOptions.Section}:MaxMessageSizeMb"] = maxMessageSizeMb.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (demo)
        {
            settings[EmailIntegration.Core.Demo.DemoSetup.ConfigurationKey] = "true";
        }

        return settings;
    }

    public static int Port(AppHost host, string name) => int.Parse(host.Settings[$"{BuiltInMailOptions.Section}:{name}"], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Sends through the built-in SMTP receiver, as any mail client would.</summary>
    public static async Task SendAsync(AppHost host, MimeKit.MimeMessage message)
    {
        using var smtp = new MailKit.Net.Smtp.SmtpClient();
        await smtp.ConnectAsync("127.0.0.1", Port(host, "SmtpPort"), MailKit.Security.SecureSocketOptions.None);
        await smtp.SendAsync(message);
        await smtp.DisconnectAsync(true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
