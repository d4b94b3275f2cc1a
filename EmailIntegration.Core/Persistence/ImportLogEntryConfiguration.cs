using EmailIntegration.Core.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EmailIntegration.Core.Persistence;

internal sealed class ImportLogEntryConfiguration : IEntityTypeConfiguration<ImportLogEntry>
{
    public void Configure(EntityTypeBuilder<ImportLogEntry> builder)
    {
        builder.ToTable("ImportLog");
        builder.Property(e => e.Outcome).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(e => new { e.AccountId, e.Utc });
    }
}
