using EmailIntegration.Core.OAuth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EmailIntegration.Core.Persistence;

internal sealed class OAuthApplicationConfiguration : IEntityTypeConfiguration<OAuthApplication>
{
    public void Configure(EntityTypeBuilder<OAuthApplication> builder)
    {
        builder.ToTable("OAuthApplications");
        builder.Property(a => a.Name).HasMaxLength(200).IsRequired().UseCollation("NOCASE");
        builder.HasIndex(a => a.Name).IsUnique();
        builder.Property(a => a.Provider).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.TenantId).HasMaxLength(100);
        builder.Property(a => a.ClientId).HasMaxLength(200).IsRequired();
        builder.Property(a => a.RedirectUrl).HasMaxLength(2000).IsRequired();
    }
}
