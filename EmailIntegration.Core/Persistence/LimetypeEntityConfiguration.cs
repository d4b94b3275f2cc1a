using EmailIntegration.Core.Crm.Schema;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EmailIntegration.Core.Persistence;

internal sealed class LimetypeEntityConfiguration : IEntityTypeConfiguration<LimetypeEntity>
{
    public void Configure(EntityTypeBuilder<LimetypeEntity> builder)
    {
        builder.ToTable("CrmLimetypes");
        builder.Property(l => l.Name).HasMaxLength(63).IsRequired();
        builder.Property(l => l.Label).HasMaxLength(200);
        builder.HasIndex(l => l.Name).IsUnique();
        builder.HasMany(l => l.Properties).WithOne(p => p.Limetype).HasForeignKey(p => p.LimetypeId).OnDelete(DeleteBehavior.Cascade);
    }
}
