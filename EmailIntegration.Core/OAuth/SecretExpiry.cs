namespace EmailIntegration.Core.OAuth;

/// <summary>How close a client secret is to its expiry date, and what to tell the admin.</summary>
public sealed record SecretExpiry(SecretExpiryLevel Level, int? DaysLeft, string Message)
{
    /// <summary>Warn this many days ahead; providers' portals remind nobody.</summary>
    public const int WarningDays = 30;

    public static SecretExpiry Evaluate(DateOnly? expiresOn, DateOnly today)
    {
        if (expiresOn is not { } date)
        {
            return new(SecretExpiryLevel.Ok, null, "No expiry date entered.");
        }

        var days = date.DayNumber - today.DayNumber;
        return days switch
        {
            < 0 => new(SecretExpiryLevel.Expired, days,
                $"The client secret expired on {date:yyyy-MM-dd}. Sign-ins fail: create a new secret at the provider and enter it here. Accounts keep working without new consent."),
            0 => new(SecretExpiryLevel.ExpiresSoon, 0,
                "The client secret expires today. Create a new secret at the provider and enter it here now."),
            <= WarningDays => new(SecretExpiryLevel.ExpiresSoon, days,
                $"The client secret expires in {days} day{(days == 1 ? "" : "s")} ({date:yyyy-MM-dd}). Create a new secret at the provider and enter it here before then."),
            _ => new(SecretExpiryLevel.Ok, days, $"Expires on {date:yyyy-MM-dd}."),
        };
    }
}
