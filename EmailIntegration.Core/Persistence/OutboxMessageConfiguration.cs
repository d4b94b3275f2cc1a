using EmailIntegration.Core.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EmailIntegration.Core.Persistence;

internal sealed class NotificationTemplateConfiguration : IEntityTypeConfiguration<NotificationTemplate>
{
    public void Configure(EntityTypeBuilder<NotificationTemplate> builder)
    {
        builder.ToTable("NotificationTemplates");
        builder.Property(t => t.Name).HasMaxLength(200);
        builder.Property(t => t.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(t => t.Language).HasMaxLength(20);
        builder.HasIndex(t => new { t.Kind, t.AccountId, t.Language }).IsUnique();
    }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("Outbox");
        builder.Property(o => o.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(o => o.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(o => o.MessageId).HasMaxLength(300);
        builder.HasIndex(o => o.MessageId).IsUnique();
        builder.HasIndex(o => new { o.State, o.NextAttemptUtc });
        builder.HasIndex(o => o.CreatedUtc);
        builder.HasMany(o => o.Recipients).WithOne().HasForeignKey(r => r.OutboxMessageId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OutboxRecipientConfiguration : IEntityTypeConfiguration<OutboxRecipient>
{
    public void Configure(EntityTypeBuilder<OutboxRecipient> builder)
    {
        builder.ToTable("OutboxRecipients");
        builder.Property(r => r.Address).HasMaxLength(320);
        builder.HasIndex(r => r.Address);
    }
}

internal sealed class NotificationEventConfiguration : IEntityTypeConfiguration<NotificationEvent>
{
    public void Configure(EntityTypeBuilder<NotificationEvent> builder)
    {
        builder.ToTable("NotificationEvents");
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(e => e.ProcessedUtc);
        builder.HasIndex(e => e.MessageRecordId);
    }
}

internal sealed class SecretReminderConfiguration : IEntityTypeConfiguration<SecretReminder>
{
    public void Configure(EntityTypeBuilder<SecretReminder> builder)
    {
        builder.ToTable("SecretReminders");
        builder.HasKey(r => new { r.ApplicationId, r.DaysBefore, r.ExpiresOn });
    }
}
