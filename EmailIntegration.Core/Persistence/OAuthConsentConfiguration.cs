using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.OAuth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EmailIntegration.Core.Persistence;

internal sealed class OAuthConsentConfiguration : IEntityTypeConfiguration<OAuthConsent>
{
    public void Configure(EntityTypeBuilder<OAuthConsent> builder)
    {
        builder.ToTable("OAuthConsents");
        builder.HasKey(c => c.StateHash);
        builder.Property(c => c.StateHash).HasMaxLength(64);
        builder.Property(c => c.BindingHash).HasMaxLength(64);
        builder.HasIndex(c => c.ExpiresUtc);
        builder.HasOne<MailAccount>().WithMany().HasForeignKey(c => c.AccountId).OnDelete(DeleteBehavior.Cascade);
    }
}
