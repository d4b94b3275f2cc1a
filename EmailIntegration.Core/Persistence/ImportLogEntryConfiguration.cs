using EmailIntegration.Core.Settings;
using EmailIntegration.Core.Import;
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

internal sealed class ImportLogEntryConfiguration : IEntityTypeConfiguration<ImportLogEntry>
{
    public void Configure(EntityTypeBuilder<ImportLogEntry> builder)
    {
        builder.ToTable("ImportLog");
        builder.Property(e => e.Outcome).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(e => new { e.AccountId, e.Utc });
    }
}

internal sealed class ImportRunConfiguration : IEntityTypeConfiguration<ImportRun>
{
    public void Configure(EntityTypeBuilder<ImportRun> builder)
    {
        builder.ToTable("ImportRuns");
        builder.Property(e => e.Trigger).HasMaxLength(40);
        builder.HasIndex(e => new { e.AccountId, e.StartedUtc });
    }
}
