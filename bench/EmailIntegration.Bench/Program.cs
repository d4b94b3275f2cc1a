using EmailIntegration.Bench;

// Benchmarks run on demand, never in the test suite:
//   dotnet run -c Release --project bench/EmailIntegration.Bench -- query [--sizes 10000,100000] [--runs 21]
var scenario = args.FirstOrDefault() ?? "";
var sizes = Option("--sizes")?.Split(',').Select(int.Parse).ToArray() ?? [10_000, 100_000];
var runs = int.Parse(Option("--runs") ?? "21", System.Globalization.CultureInfo.InvariantCulture);

switch (scenario)
{
    case "query":
        await QueryScenario.RunAsync(sizes, runs);
        return 0;
    default:
        Console.Error.WriteLine("usage: EmailIntegration.Bench query [--sizes 10000,100000] [--runs 21]");
        return 2;
}

string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
