using EmailIntegration.Core.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EmailIntegration.Core.Persistence;

internal sealed class SecretReminderConfiguration : IEntityTypeConfiguration<SecretReminder>
{
    public void Configure(EntityTypeBuilder<SecretReminder> builder)
    {
        builder.ToTable("SecretReminders");
        builder.HasKey(r => new { r.ApplicationId, r.DaysBefore, r.ExpiresOn });
    }
}
