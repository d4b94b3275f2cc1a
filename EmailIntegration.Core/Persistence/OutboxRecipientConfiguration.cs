using EmailIntegration.Core.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EmailIntegration.Core.Persistence;

internal sealed class OutboxRecipientConfiguration : IEntityTypeConfiguration<OutboxRecipient>
{
    public void Configure(EntityTypeBuilder<OutboxRecipient> builder)
    {
        builder.ToTable("OutboxRecipients");
        builder.Property(r => r.Address).HasMaxLength(320);
        builder.HasIndex(r => r.Address);
    }
}
