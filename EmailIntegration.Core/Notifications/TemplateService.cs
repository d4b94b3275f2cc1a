using System.Reflection;
using EmailIntegration.Core.OAuth;
using EmailIntegration.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace EmailIntegration.Core.Notifications;

/// <summary>
/// The Templates tab: HTML templates per account and language. Sending picks the most specific
/// one (account and language, account, language, neither) and falls back to the default that ships
/// in wwwroot-assets.
/// </summary>
public sealed class TemplateService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public async Task<IReadOnlyList<NotificationTemplate>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<NotificationTemplate>().AsNoTracking().OrderBy(t => t.Kind).ThenBy(t => t.Name).ToListAsync(cancellationToken);
    }

    public async Task<SaveResult> SaveAsync(Guid? id, TemplateInput input, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        var language = string.IsNullOrWhiteSpace(input.Language) ? null : input.Language.Trim().ToLowerInvariant();
        if (string.IsNullOrWhiteSpace(input.Name))
        {
            errors["name"] = "Give the template a name.";
        }

        if (string.IsNullOrWhiteSpace(input.Html))
        {
            errors["html"] = "The template is empty. Press \"Use default template\" to start from the default.";
        }
        else if (MergeCodes.Unknown(input.Html) is { Count: > 0 } unknown)
        {
            errors["html"] = $"Unknown merge code{(unknown.Count > 1 ? "s" : "")}: {string.Join(", ", unknown.Select(c => "{{ " + c + " }}"))}. The codes are listed beside the editor.";
        }

        if (language is not null && (language.Length > 20 || !language.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '-')))
        {
            errors["language"] = "A language is a code such as en, sv or en-GB; leave it empty for every language.";
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (input.AccountId is { } accountId && !await db.Set<Accounts.MailAccount>().AnyAsync(a => a.Id == accountId, cancellationToken))
        {
            errors["account"] = "The account no longer exists.";
        }

        var clash = await db.Set<NotificationTemplate>().FirstOrDefaultAsync(
            t => t.Id != id && t.Kind == input.Kind && t.AccountId == input.AccountId && t.Language == language, cancellationToken);
        if (clash is not null)
        {
            errors["language"] = $"\"{clash.Name}\" is already the {Describe(input.Kind)} template for this account and language; edit that one instead.";
        }

        if (errors.Count > 0)
        {
            return new SaveResult(null, errors);
        }

        var template = id is { } existing
            ? await db.Set<NotificationTemplate>().FirstOrDefaultAsync(t => t.Id == existing, cancellationToken)
            : null;
        if (id is not null && template is null)
        {
            return SaveResult.Fail("name", "The template was deleted meanwhile.");
        }

        if (template is null)
        {
            template = new NotificationTemplate { Name = input.Name.Trim(), Html = input.Html };
            db.Add(template);
        }

        template.Name = input.Name.Trim();
        template.Kind = input.Kind;
        template.AccountId = input.AccountId;
        template.Language = language;
        template.Html = input.Html;
        template.UpdatedUtc = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return SaveResult.Ok(template.Id);
    }

    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Set<NotificationTemplate>().Where(t => t.Id == id).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>The template to send: the most specific saved one, else the shipped default.</summary>
    public async Task<string> ResolveAsync(TemplateKind kind, Guid accountId, string? language, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var candidates = await db.Set<NotificationTemplate>().AsNoTracking()
            .Where(t => t.Kind == kind && (t.AccountId == accountId || t.AccountId == null))
            .ToListAsync(cancellationToken);
        var wanted = language?.Trim().ToLowerInvariant();
        var primary = wanted?.Split('-')[0];
        var best = candidates
            .Select(t => (Template: t, Score: Score(t, accountId, wanted, primary)))
            .Where(x => x.Score >= 0)
            .OrderByDescending(x => x.Score)
            .FirstOrDefault();
        return best.Template?.Html ?? DefaultHtml(kind);
    }

    private static int Score(NotificationTemplate t, Guid accountId, string? language, string? primary)
    {
        var languageScore = t.Language is null ? 0 : t.Language == language ? 2 : t.Language == primary ? 1 : -1;
        if (languageScore < 0)
        {
            return -1;
        }

        return (t.AccountId == accountId ? 10 : 0) + languageScore;
    }

    /// <summary>The default template that ships in wwwroot-assets/templates.</summary>
    public static string DefaultHtml(TemplateKind kind)
    {
        var name = kind == TemplateKind.AutoReply ? "templates/default-auto-reply.html" : "templates/default-notification.html";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The default template {name} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static string Describe(TemplateKind kind) => kind == TemplateKind.AutoReply ? "auto-reply" : "notification";
}
