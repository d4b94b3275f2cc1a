using EmailIntegration.Core.Crm.Schema;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EmailIntegration.Core.Persistence;

internal sealed class PropertyEntityConfiguration : IEntityTypeConfiguration<PropertyEntity>
{
    public void Configure(EntityTypeBuilder<PropertyEntity> builder)
    {
        builder.ToTable("CrmProperties");
        builder.Property(p => p.Name).HasMaxLength(63).IsRequired();
        builder.Property(p => p.Label).HasMaxLength(200);
        builder.Property(p => p.Type).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(p => new { p.LimetypeId, p.Name }).IsUnique();
    }
}
