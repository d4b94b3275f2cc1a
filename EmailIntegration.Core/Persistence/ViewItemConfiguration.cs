using EmailIntegration.Core.Views;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EmailIntegration.Core.Persistence;

internal sealed class ViewItemConfiguration : IEntityTypeConfiguration<ViewItem>
{
    public void Configure(EntityTypeBuilder<ViewItem> builder)
    {
        builder.ToTable("ViewItems");
        builder.HasKey(i => new { i.Kind, i.ItemId });
        builder.Property(i => i.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(i => i.ItemId).HasMaxLength(200);
        builder.Property(i => i.Limetype).HasMaxLength(63);
        builder.Property(i => i.UpdatedBy).HasMaxLength(256);
    }
}
