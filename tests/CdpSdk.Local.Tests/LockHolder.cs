using System.Diagnostics;

namespace CdpSdk.Local.Tests;

/// <summary>A python3 child process holding a POSIX write lock on a file (fcntl, the lock DuckDB takes) until disposed.</summary>
internal sealed class LockHolder : IDisposable
{
    readonly Process _process;

    LockHolder(Process process) => _process = process;

    public int Pid => _process.Id;

    public static LockHolder? Start(string file)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import fcntl, sys\nf = open(sys.argv[1], 'r+b')\nfcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)\nprint('locked', flush=True)\nsys.stdin.read()\n");
        start.ArgumentList.Add(file);
        Process? process;
        try { process = Process.Start(start); }
        catch (System.ComponentModel.Win32Exception) { return null; }
        if (process is null) return null;
        if (process.StandardOutput.ReadLine() != "locked") { process.Kill(); return null; }
        return new LockHolder(process);
    }

    public void Dispose()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(5000)) _process.Kill();
        _process.Dispose();
    }
}
