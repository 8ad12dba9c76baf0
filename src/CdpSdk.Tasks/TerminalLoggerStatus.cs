using CdpSdk.Core.Backend;
using Microsoft.Build.Framework;

namespace CdpSdk.Tasks;

/// <summary>
/// Puts the workflow and task in progress, with their elapsed time, on the terminal logger's live line of the
/// phase build: "retail Staging Execute transform_shopify › +customers+load, 12s (40.1s)".
/// MSBuild has no public way for a task to change that line (dotnet/msbuild#8878); the terminal logger replaces a
/// node's live text with the display name of a TLTESTPASSED message, the protocol test runners use, in a project
/// that ran a target named _TestRunStart (the phase build runs one when the terminal logger is on). Those
/// messages are high-importance, so they are only raised when the terminal logger is on: the console logger
/// would print each one.
/// </summary>
internal sealed class TerminalLoggerStatus : IDisposable
{
    /// <summary>The terminal logger's message type for a passed test; its metadata sets the node's live text.</summary>
    public const string LiveTextType = "TLTESTPASSED";

    /// <summary>Live lines are cut to fit an 80-column terminal (the logger drops a text that does not fit, whole).</summary>
    const int TerminalWidth = 80;

    readonly IBuildEngine _engine;
    readonly string _label;
    readonly int _width;
    readonly Timer _timer;
    readonly object _gate = new();
    WorkProgress? _now;
    DateTime _since;
    string _shown = "";
    bool _closed;

    /// <param name="label">What runs, before the workflow: "Staging Execute".</param>
    public TerminalLoggerStatus(IBuildEngine engine, string projectName, string label)
    {
        _engine = engine;
        _label = label;
        // Indentation, project, label, the logger's spaces and its own "(123.4s)" come before and after our text.
        _width = Math.Max(TerminalWidth - (2 + projectName.Length + 1 + label.Length + 1 + 1 + 9), 24);
        // The elapsed time moves on between task starts and polls: look four times a second, raise a message only
        // when the text changes (once a second at most, every ten seconds after a minute).
        _timer = new Timer(_ => Refresh(), null, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));
    }

    public void Show(WorkProgress now)
    {
        lock (_gate)
        {
            if (now == _now) return;
            _now = now;
            _since = DateTime.UtcNow;
        }
        Refresh();
    }

    void Refresh()
    {
        lock (_gate)
        {
            // No event after the task has returned: MSBuild refuses a finished task's log.
            if (_closed || _now is null) return;
            var text = _now.LiveText(DateTime.UtcNow - _since, _width);
            if (text == _shown) return;
            _shown = text;
            _engine.LogMessageEvent(new ExtendedBuildMessageEventArgs(LiveTextType, $"{_label}: {text}", null, nameof(CdpRunStep), MessageImportance.High)
            {
                ExtendedMetadata = new Dictionary<string, string?> { ["localizedResult"] = _label, ["displayName"] = text },
            });
        }
    }

    public void Dispose()
    {
        lock (_gate) _closed = true;
        _timer.Dispose();
    }
}
