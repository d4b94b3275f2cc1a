using EmailIntegration.Bench;

// Benchmarks run on demand, never in the test suite:
//   dotnet run -c Release --project bench/EmailIntegration.Bench -- query [--sizes 10000,100000] [--runs 21]
//   dotnet run -c Release --project bench/EmailIntegration.Bench -- views [--sizes 10000,100000] [--runs 21]
//   dotnet run -c Release --project bench/EmailIntegration.Bench -- inbox [--sizes 10000,100000] [--runs 21] [--count 2000]  (import part: mail stack running)
//   dotnet run -c Release --project bench/EmailIntegration.Bench -- import [--count 5000]      (mail stack running)
//   dotnet run -c Release --project bench/EmailIntegration.Bench -- archive [--count 10000]    (mail stack running)
//   dotnet run -c Release --project bench/EmailIntegration.Bench -- latency [--count 50]       (mail stack running)
//   dotnet run -c Release --project bench/EmailIntegration.Bench -- large [--mb 36]            (mail stack running)
//   dotnet run -c Release --project bench/EmailIntegration.Bench -- fanout [--count 1000]      (mail stack running)
//   dotnet run -c Release --project bench/EmailIntegration.Bench -- accounts [--accounts 1000] [--rate 20] [--seconds 60] [--baseline-seconds 30]  (mail stack running)
var scenario = args.FirstOrDefault() ?? "";
var sizes = Option("--sizes")?.Split(',').Select(int.Parse).ToArray() ?? [10_000, 100_000];
var runs = int.Parse(Option("--runs") ?? "21", System.Globalization.CultureInfo.InvariantCulture);

switch (scenario)
{
    case "query":
        await QueryScenario.RunAsync(sizes, runs);
        return 0;
    case "views":
        await ViewsScenario.RunAsync(sizes, runs);
        return 0;
    case "inbox":
        await InboxScenario.RunAsync(sizes, runs, int.Parse(Option("--count") ?? "2000", System.Globalization.CultureInfo.InvariantCulture));
        return 0;
    case "import":
        await ImportScenario.RunAsync(int.Parse(Option("--count") ?? "5000", System.Globalization.CultureInfo.InvariantCulture));
        return 0;
    case "archive":
        await ArchiveScenario.RunAsync(int.Parse(Option("--count") ?? "10000", System.Globalization.CultureInfo.InvariantCulture));
        return 0;
    case "large":
        await LargeMessageScenario.RunAsync(int.Parse(Option("--mb") ?? "36", System.Globalization.CultureInfo.InvariantCulture));
        return 0;
    case "latency":
        await LatencyScenario.RunAsync(int.Parse(Option("--count") ?? "50", System.Globalization.CultureInfo.InvariantCulture));
        return 0;
    case "fanout":
        await FanoutScenario.RunAsync(int.Parse(Option("--count") ?? "1000", System.Globalization.CultureInfo.InvariantCulture));
        return 0;
    case "accounts":
        await AccountsScenario.RunAsync(
            int.Parse(Option("--accounts") ?? "1000", System.Globalization.CultureInfo.InvariantCulture),
            double.Parse(Option("--rate") ?? "20", System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(Option("--seconds") ?? "60", System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(Option("--baseline-seconds") ?? "30", System.Globalization.CultureInfo.InvariantCulture));
        return 0;
    default:
        Console.Error.WriteLine("usage: EmailIntegration.Bench query|views|inbox [--sizes 10000,100000] [--runs 21] [--count 2000] | import [--count 5000] | archive [--count 10000] | latency [--count 50] | large [--mb 36] | fanout [--count 1000] | accounts [--accounts 1000] [--rate 20] [--seconds 60] [--baseline-seconds 30]");
        return 2;
}

string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
