using System.Diagnostics;

namespace Xuhui.Crm.Web.Tests.Operations;

/// <summary>Runs the built service binary as a separate process, as an operator would.</summary>
public static class WebHostProcess
{
    public static string Dll
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            var root = AppContext.BaseDirectory;
            while (!File.Exists(Path.Combine(root, "Xuhui.Crm.sln")))
            {
                root = Path.GetDirectoryName(root.TrimEnd('/'))!;
            }

            return Path.Combine(root, "src", "Xuhui.Crm.Web", "bin", configuration, "net10.0", "Xuhui.Crm.Web.dll");
        }
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(IDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
