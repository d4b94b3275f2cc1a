using System.Security.Cryptography;
using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Mail.BuiltIn;
using EmailIntegration.Core.Settings;
using EmailIntegration.Core.Users;
using EmailIntegration.Core.Views;
using Microsoft.Extensions.Logging;

namespace EmailIntegration.Core.Demo;

/// <summary>
/// A demo install that works offline: an admin and a support user, an account on the built-in mailbox,
/// the standard mapping, the shipped filters, tiles and views through the Config Importer, and a sample
/// mailbox delivered to the built-in INBOX, which the real import then reads. Runs once per data folder.
/// </summary>
public sealed class DemoSetup(
    UserAdministration users, AccountService accounts, SettingsStore settings, ConfigImporter importer,
    MailStore store, BuiltInMailbox mailbox, TimeProvider clock, ILogger<DemoSetup> logger)
{
    /// <summary>True (set by <c>--demo</c>) makes this install a demo.</summary>
    public const string ConfigurationKey = "EmailIntegration:Demo";

    public const string DeskAddress = "support@helpdesk.example";
    public const string AdminEmail = "admin@helpdesk.example";
    public const string SupportEmail = "agent@helpdesk.example";
    private const string Actor = "demo";

    /// <summary>Sets the demo up unless it is; returns the new users' passwords, or null when they existed already.</summary>
    public async Task<DemoCredentials?> RunAsync(CancellationToken cancellationToken = default)
    {
        if ((await accounts.ListAsync(cancellationToken)).Any(a => string.Equals(a.EmailAddress, DeskAddress, StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        DemoCredentials? credentials = null;
        if (!await users.AdministratorExistsAsync(cancellationToken))
        {
            credentials = new DemoCredentials(AdminEmail, NewPassword(), SupportEmail, NewPassword());
            Check(await users.CreateAsync(AdminEmail, "Demo Admin", credentials.AdminPassword, Roles.Administrator, cancellationToken));
            Check(await users.CreateAsync(SupportEmail, "Alex Agent", credentials.SupportPassword, Roles.Support, cancellationToken));
        }

        var saved = await accounts.SaveAsync(null, new MailAccountInput("Support", DeskAddress, AccountAuthentication.Password, null, null,
            mailbox.Imap, mailbox.Smtp, DeskAddress, mailbox.Password), cancellationToken);
        if (!saved.Succeeded)
        {
            throw new InvalidOperationException("The demo account could not be saved: " + string.Join(" ", saved.Errors.Values));
        }

        var mapping = await settings.AddStandardMappingAsync(saved.Id!.Value, Actor, cancellationToken);
        if (mapping.Count > 0)
        {
            throw new InvalidOperationException("The demo mapping was refused: " + string.Join(" ", mapping.Select(e => e.Message)));
        }

        foreach (var file in ShippedConfiguration.Files)
        {
            var plan = await importer.ImportAsync(file.Text(), Actor, cancellationToken);
            if (!plan.CanImport && plan.Entries.Any(e => e.Action == ImportAction.Invalid))
            {
                logger.LogWarning("The shipped file {File} was not imported into the demo", file.FileName);
            }
        }

        var messages = SampleMailbox.Raw(DeskAddress, "Support", clock.GetUtcNow());
        foreach (var raw in messages)
        {
            await store.DeliverAsync(DeskAddress, raw, cancellationToken);
        }

        logger.LogInformation("Demo set up: {Count} sample messages wait in the built-in mailbox {Address}", messages.Count, DeskAddress);
        return credentials;
    }

    private static void Check(UserOperationResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("A demo user could not be made: " + result.ErrorText);
        }
    }

    /// <summary>A password the sign-in rules accept: letters of both cases, a digit and a symbol.</summary>
    private static string NewPassword() =>
        "Demo-" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('+', 'x').Replace('/', 'y').TrimEnd('=') + "-7a";
}
