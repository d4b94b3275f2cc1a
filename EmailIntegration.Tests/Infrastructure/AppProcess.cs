using System.Diagnostics;

namespace EmailIntegration.Tests.Infrastructure;

/// <summary>The published App started as a process of its own on a data folder, so a test can kill it hard (SIGKILL).</summary>
public sealed class AppProcess : IDisposable
{
    private readonly string dataPath;
    private readonly Process process;

    private AppProcess(string dataPath, Process process) => (this.dataPath, this.process) = (dataPath, process);

    public static AppProcess Start(string dataPath, params string[] extraArgs)
    {
        var appDirectory = AppContext.BaseDirectory.Replace("EmailIntegration.Tests", "EmailIntegration.App", StringComparison.Ordinal);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = appDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["Logging__LogLevel__Default"] = "Warning" },
        };
        foreach (var arg in new[]
        {
            Path.Combine(appDirectory, "EmailIntegration.App.dll"),
            $"--EmailIntegration:DataPath={dataPath}",
            "--Urls=http://127.0.0.1:0",
            $"--EmailIntegration:Tls:TrustedCertificates:0={MailStack.TlsCertificate}",
        }.Concat(extraArgs))
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        var log = Path.Combine(dataPath, "app-output.log");
        process.OutputDataReceived += (_, e) => { lock (dataPath) { File.AppendAllText(log, e.Data + "\n"); } };
        process.ErrorDataReceived += (_, e) => { lock (dataPath) { File.AppendAllText(log, e.Data + "\n"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new AppProcess(dataPath, process);
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    /// <summary>The App's last output lines, for an assertion's message.</summary>
    public static string OutputTail(string dataPath)
    {
        var log = Path.Combine(dataPath, "app-output.log");
        lock (dataPath)
        {
            return File.Exists(log) ? string.Join("\n", File.ReadLines(log).TakeLast(30)) : "(none)";
        }
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
    }
}
