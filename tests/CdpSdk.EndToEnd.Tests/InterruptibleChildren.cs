using System.Runtime.InteropServices;

namespace CdpSdk.EndToEnd.Tests;

/// <summary>
/// A test run started in the background by a non-interactive shell inherits SIGINT as ignored, and so do
/// the builds it starts: the .NET runtime then installs no Ctrl+C handler and `kill -INT` does nothing.
/// The tests that interrupt a build need a real Ctrl+C, so when SIGINT is ignored here it is reset to the
/// default before any build starts. A handler installed by the runtime is never touched.
/// </summary>
internal static class InterruptibleChildren
{
    const int SigInt = 2;
    static readonly IntPtr SigIgn = 1;

    /// <summary>glibc's struct sigaction on 64-bit Linux: handler, 128-byte mask, int flags (padded), restorer.</summary>
    [StructLayout(LayoutKind.Sequential)]
    struct SigAction
    {
        public IntPtr Handler;
        [MarshalAs(UnmanagedType.ByValArray, SizeConst = 16)] public ulong[] Mask;
        public int Flags;
        public IntPtr Restorer;
    }

    [DllImport("libc", SetLastError = true)]
    static extern int sigaction(int signal, ref SigAction action, out SigAction old);

    [DllImport("libc", SetLastError = true, EntryPoint = "sigaction")]
    static extern int sigactionQuery(int signal, IntPtr action, out SigAction old);

    public static void Ensure()
    {
        if (!OperatingSystem.IsLinux() || !Environment.Is64BitProcess) return;
        if (sigactionQuery(SigInt, IntPtr.Zero, out var current) != 0 || current.Handler != SigIgn) return;
        var reset = new SigAction { Handler = IntPtr.Zero, Mask = new ulong[16] };
        sigaction(SigInt, ref reset, out _);
    }
}
