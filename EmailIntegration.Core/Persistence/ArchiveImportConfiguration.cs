using EmailIntegration.Core.Import.Archive;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EmailIntegration.Core.Persistence;

internal sealed class ArchiveImportConfiguration : IEntityTypeConfiguration<ArchiveImport>
{
    public void Configure(EntityTypeBuilder<ArchiveImport> builder)
    {
        builder.ToTable("ArchiveImports");
        builder.Property(e => e.FileName).HasMaxLength(260);
        builder.Property(e => e.StoredPath).HasMaxLength(260);
        builder.Property(e => e.State).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(e => new { e.AccountId, e.CreatedUtc });
        builder.HasIndex(e => e.State);
    }
}
