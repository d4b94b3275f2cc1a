using EmailIntegration.Core.Accounts;
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

internal sealed class MailAccountConfiguration : IEntityTypeConfiguration<MailAccount>
{
    public void Configure(EntityTypeBuilder<MailAccount> builder)
    {
        builder.ToTable("MailAccounts");
        builder.Property(a => a.DisplayName).HasMaxLength(200).IsRequired();
        builder.Property(a => a.EmailAddress).HasMaxLength(320).IsRequired().UseCollation("NOCASE");
        builder.HasIndex(a => a.EmailAddress).IsUnique();
        builder.Property(a => a.Authentication).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.State).HasConversion<string>().HasMaxLength(40);
        builder.Property(a => a.ImapSecurity).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.SmtpSecurity).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.FailureFolder).HasMaxLength(200);
        // An application with accounts cannot be deleted; the accounts would stop without a word.
        builder.HasOne(a => a.OAuthApplication).WithMany().HasForeignKey(a => a.OAuthApplicationId).OnDelete(DeleteBehavior.Restrict);
    }
}

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
