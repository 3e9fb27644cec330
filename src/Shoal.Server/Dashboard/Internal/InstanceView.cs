using Shoal.Client.Load.Protocol;

namespace Shoal.Server.Dashboard.Internal;

/// <summary>One registered instance as the dashboard shows it: what the registry says and its latest load report.</summary>
internal sealed class InstanceView
{
    private readonly Lock _gate = new();
    private LoadReport? _load;
    private string? _loadError;

    public InstanceView(string id, IReadOnlyList<string> services, string native, string zone, long leaseTtlMs)
    {
        Id = id;
        Services = services;
        Native = native;
        Zone = zone;
        LeaseTtlMs = leaseTtlMs;
    }

    public string Id { get; }

    public IReadOnlyList<string> Services { get; }

    /// <summary>The native address (<c>shoal://host:port</c>), or empty when the instance registered none.</summary>
    public string Native { get; }

    public string Zone { get; }

    public long LeaseTtlMs { get; }

    /// <summary>The latest report and why there is none (or why it is stale).</summary>
    public (LoadReport? Load, string? Error) Read()
    {
        lock (_gate)
        {
            return (_load, _loadError);
        }
    }

    public void OnReport(LoadReport report)
    {
        lock (_gate)
        {
            _load = report;
            _loadError = null;
        }
    }

    public void OnLoadError(string error)
    {
        lock (_gate)
        {
            _loadError = error;
        }
    }
}
