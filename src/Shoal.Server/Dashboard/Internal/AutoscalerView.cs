using Shoal.Client.Autoscaling.Protocol;

namespace Shoal.Server.Dashboard.Internal;

/// <summary>A registered autoscaler as the dashboard shows it: its status service's address and the latest status it served.</summary>
internal sealed class AutoscalerView
{
    private readonly Lock _gate = new();
    private StatusReply? _status;
    private string? _error;

    public AutoscalerView(string id, string native)
    {
        Id = id;
        Native = native;
    }

    public string Id { get; }

    /// <summary>The status service's native address, <c>shoal://host:port</c>.</summary>
    public string Native { get; }

    /// <summary>The latest status and why there is none (or why it is stale).</summary>
    public (StatusReply? Status, string? Error) Read()
    {
        lock (_gate)
        {
            return (_status, _error);
        }
    }

    public void OnStatus(StatusReply status)
    {
        lock (_gate)
        {
            _status = status;
            _error = null;
        }
    }

    public void OnError(string error)
    {
        lock (_gate)
        {
            _error = error;
        }
    }
}
