using EmailIntegration.Core.Import.Archive;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EmailIntegration.Core.Persistence;

internal sealed class ArchiveImportFailureConfiguration : IEntityTypeConfiguration<ArchiveImportFailure>
{
    public void Configure(EntityTypeBuilder<ArchiveImportFailure> builder)
    {
        builder.ToTable("ArchiveImportFailures");
        builder.Property(e => e.Name).HasMaxLength(500);
        builder.Property(e => e.Subject).HasMaxLength(1000);
        builder.HasOne<ArchiveImport>().WithMany().HasForeignKey(e => e.ArchiveImportId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => new { e.ArchiveImportId, e.Index });
    }
}
