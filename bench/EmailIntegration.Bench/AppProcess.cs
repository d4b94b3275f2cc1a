using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace EmailIntegration.Bench;

/// <summary>The App as it runs in production (its own process, Release build), its database read from outside, and what Linux says about it.</summary>
internal static class AppProcess
{
    /// <summary>Starts the App on a data folder; <paramref name="started"/> is set once the host says it has started.</summary>
    public static Process Start(string dataPath, TaskCompletionSource? started = null)
    {
        var root = AppContext.BaseDirectory;
        var appDirectory = Path.GetFullPath(Path.Combine(root, "..", "..", "..", "..", "..", "EmailIntegration.App", "bin", "Release", "net10.0"));
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = appDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var arg in new[]
        {
            Path.Combine(appDirectory, "EmailIntegration.App.dll"), $"--EmailIntegration:DataPath={dataPath}", "--Urls=http://127.0.0.1:0",
            $"--EmailIntegration:Tls:TrustedCertificates:0={MailBench.Certificate}",
        })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("Application started", StringComparison.Ordinal) == true)
            {
                started?.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine("app: " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static async Task StopAsync(Process app)
    {
        if (!app.HasExited)
        {
            app.Kill(entireProcessTree: true);
        }

        await app.WaitForExitAsync();
        SqliteConnection.ClearAllPools();
    }

    public static long Scalar(string dataPath, string sql, string? parameter = null)
    {
        using var connection = Open(dataPath);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (parameter is not null)
        {
            command.Parameters.AddWithValue("$s", parameter);
        }

        try
        {
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        catch (SqliteException)
        {
            return 0;
        }
    }

    public static SqliteConnection Open(string dataPath)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(dataPath, "emailintegration.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }

    public static async Task WaitAsync(Func<bool> condition, TimeSpan timeout, int pollMilliseconds = 10)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"not reached within {timeout}");
            }

            await Task.Delay(pollMilliseconds);
        }
    }

    /// <summary>A line of /proc/PID/status in megabytes (VmRSS, VmHWM) or as a count (Threads); 0 once the process is gone.</summary>
    public static double Status(int pid, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
            var value = line is null ? 0 : double.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            return line?.EndsWith("kB", StringComparison.Ordinal) == true ? value / 1024 : value;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>CPU seconds (user and system) the process has used so far.</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields 14 and 15 of stat (utime, stime), counted from the state field (3); clock ticks of 1/100 s.
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>
    /// Dovecot's processes under the stack's master (its pid file), each with its title: with
    /// verbose_proctitle an imap process is "imap [user ip COMMAND]", so a watched mailbox shows IDLE.
    /// </summary>
    public static List<(int Pid, string Title)> DovecotProcesses()
    {
        var master = int.Parse(File.ReadAllText(Path.Combine(Environment.GetEnvironmentVariable("MAILSTACK_DIR")!, "pids", "dovecot.pid")).Trim(), CultureInfo.InvariantCulture);
        var found = new List<(int, string)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                if (parent == master)
                {
                    found.Add((pid, File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ').Trim()));
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Ended meanwhile.
            }
        }

        return found;
    }

    /// <summary>How many of the mailboxes whose names start with <paramref name="prefix"/> have an IDLE running now.</summary>
    public static int Idling(string prefix) =>
        DovecotProcesses().Count(p => p.Title.Contains("imap [" + prefix, StringComparison.Ordinal) && p.Title.EndsWith(" IDLE]", StringComparison.Ordinal));

    /// <summary>
    /// The memory of all of the stack's Dovecot processes together, in megabytes: each one's proportional
    /// set size, so pages the processes share are counted once.
    /// </summary>
    public static double DovecotPssMb() => DovecotProcesses().Sum(p =>
    {
        try
        {
            var line = File.ReadLines($"/proc/{p.Pid}/smaps_rollup").FirstOrDefault(l => l.StartsWith("Pss:", StringComparison.Ordinal));
            return line is null ? 0 : double.Parse(line[4..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    });
}
