namespace EmailIntegration.Core.Users;

/// <summary>The outcome of a user operation, with messages an administrator can act on.</summary>
public sealed record UserOperationResult(bool Succeeded, IReadOnlyList<string> Errors)
{
    public static UserOperationResult Success { get; } = new(true, []);

    public static UserOperationResult Fail(params string[] errors) => new(false, errors);

    public string ErrorText => string.Join(" ", Errors);
}
