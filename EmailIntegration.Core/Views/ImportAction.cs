namespace EmailIntegration.Core.Views;

public enum ImportAction
{
    New,
    Replace,
    Unchanged,
    Invalid,
}
