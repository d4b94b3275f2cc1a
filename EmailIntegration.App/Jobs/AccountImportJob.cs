using EmailIntegration.Core.Import;
using Quartz;

namespace EmailIntegration.App.Jobs;

/// <summary>One import pass over one account. One job per account, never two at once for it.</summary>
[DisallowConcurrentExecution]
internal sealed class AccountImportJob(ImportService imports) : IJob
{
    public const string Group = "account-import";

    public static JobKey KeyFor(Guid accountId) => new(accountId.ToString("N"), Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var accountId = Guid.Parse(context.MergedJobDataMap.GetString("accountId")!);
        var trigger = Enum.TryParse<ImportTrigger>(context.MergedJobDataMap.GetString("trigger"), out var t) ? t : ImportTrigger.Live;
        await imports.ImportAsync(accountId, trigger, cancellationToken);
    }
}
