using EmailIntegration.Core.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EmailIntegration.Core.Persistence;

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
