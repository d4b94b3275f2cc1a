using EmailIntegration.Core.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EmailIntegration.Core.Persistence;

internal sealed class SettingsDocumentConfiguration : IEntityTypeConfiguration<SettingsDocument>
{
    public void Configure(EntityTypeBuilder<SettingsDocument> builder)
    {
        builder.ToTable("SettingsDocuments");
        builder.HasKey(d => d.Name);
        builder.Property(d => d.Name).HasMaxLength(50);
    }
}
