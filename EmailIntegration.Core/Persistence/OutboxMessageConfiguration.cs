using EmailIntegration.Core.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EmailIntegration.Core.Persistence;

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
