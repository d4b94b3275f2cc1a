using EmailIntegration.Core.Views;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EmailIntegration.Core.Persistence;

internal sealed class ViewItemVersionConfiguration : IEntityTypeConfiguration<ViewItemVersion>
{
    public void Configure(EntityTypeBuilder<ViewItemVersion> builder)
    {
        builder.ToTable("ViewItemVersions");
        builder.Property(v => v.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(v => v.ItemId).HasMaxLength(200);
        builder.Property(v => v.Change).HasMaxLength(20);
        builder.Property(v => v.By).HasMaxLength(256);
        builder.HasIndex(v => new { v.Kind, v.ItemId, v.Version });
    }
}
