using System.Diagnostics;
using System.Text;

namespace CdpSdk.Tests.Shared;

/// <summary>
/// Starts a process with its standard output and error collected, line by line, into one buffer (lock it to
/// read while the process runs). Shared by the end-to-end tests and the benchmark harness, which both drive
/// the real dotnet CLI; each edits the child's environment its own way.
/// </summary>
internal static class CollectedProcess
{
    public static (Process Process, StringBuilder Output) Start(string fileName, string workingDirectory, IEnumerable<string> args, Action<IDictionary<string, string?>>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        environment?.Invoke(start.Environment);

        var output = new StringBuilder();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, output);
    }
}
