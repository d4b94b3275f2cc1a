using System.Security.Claims;
using EmailIntegration.Core.Users;

namespace EmailIntegration.Core.Crm.Schema;

/// <summary>
/// Which limetypes only administrators may read, records and files alike: the one place the
/// pages, the file endpoint, lists and searches ask, so a role is enforced on the data and not
/// only on the page that links to it.
/// </summary>
/// <remarks>
/// <c>importerror</c> holds the raw <c>.eml</c> of mail that was not imported (possibly spam,
/// phishing or mail meant for someone else, with every header), which support staff must not see.
/// The other default limetypes are support's daily work: tickets, persons, companies, deals,
/// coworkers, and the conversations, messages, followers, documents and embedded files of the
/// threads they answer. Secrets (client secrets, tokens, passwords) are not limetypes at all:
/// they live encrypted in the settings tables, behind the administrator-only settings pages.
/// </remarks>
public static class LimetypeAccess
{
    private static readonly HashSet<string> AdminOnlyNames = new(StringComparer.OrdinalIgnoreCase) { "importerror" };

    public static IReadOnlyCollection<string> AdminOnly => AdminOnlyNames;

    public static bool IsAdminOnly(string limetype) => AdminOnlyNames.Contains(limetype);

    /// <summary>Whether <paramref name="user"/> may read records and files of <paramref name="limetype"/>.</summary>
    public static bool CanRead(ClaimsPrincipal user, string limetype) =>
        !IsAdminOnly(limetype) || user.IsInRole(Roles.Administrator);
}
