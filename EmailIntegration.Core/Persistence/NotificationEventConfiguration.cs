using EmailIntegration.Core.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EmailIntegration.Core.Persistence;

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
