using Shoal.Cli.Tests.Infrastructure;

namespace Shoal.Cli.Tests.Dashboard;

/// <summary>
/// A registry, three <c>shoal serve</c> Greeters registered with it, optionally <c>shoal autoscale run</c>
/// for the Greeter (dry-run, a decision a second), and <c>shoal dashboard</c> on a free port; every
/// process killed on dispose.
/// </summary>
internal sealed class DashboardCluster : IAsyncDisposable
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);

    private DashboardCluster(ProcessCluster cluster, CliProcess dashboard, CliProcess? autoscaler, Uri url)
    {
        Cluster = cluster;
        Dashboard = dashboard;
        Autoscaler = autoscaler;
        Url = url;
    }

    public ProcessCluster Cluster { get; }

    public CliProcess Dashboard { get; }

    /// <summary><c>shoal autoscale run</c>, when started.</summary>
    public CliProcess? Autoscaler { get; }

    /// <summary>The page, <c>http://127.0.0.1:port/</c>.</summary>
    public Uri Url { get; }

    /// <summary>
    /// Starts it all; with <paramref name="tokenFile"/> the registry admits members only and every
    /// process presents the token (so the dashboard offers to drain instances).
    /// </summary>
    public static async Task<DashboardCluster> StartAsync(bool autoscaler = false, string? tokenFile = null)
    {
        string[] token = tokenFile is null ? [] : ["--registry-token-file", tokenFile];
        var cluster = await ProcessCluster.StartAsync(servers: 3, tokenFile);
        CliProcess? dashboard = null;
        CliProcess? autoscale = null;
        try
        {
            var registry = cluster.Target[..cluster.Target.LastIndexOf('/')];
            if (autoscaler)
            {
                autoscale = CliProcess.Start(["autoscale", "run", "--registry", registry, "--service", "hello.Greeter", "--interval", "1s", "--lead-time", "5s", .. token]);
            }
            dashboard = CliProcess.Start(["dashboard", "--registry", registry, "--port", "0", .. token]);
            var line = (await dashboard.FirstLineAsync(Startup)).Trim();
            Assert.StartsWith("dashboard: http://127.0.0.1:", line, StringComparison.Ordinal);
            return new DashboardCluster(cluster, dashboard, autoscale, new Uri(line["dashboard: ".Length..]));
        }
        catch
        {
            dashboard?.Dispose();
            autoscale?.Dispose();
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Dashboard.Dispose();
        Autoscaler?.Dispose();
        await Cluster.DisposeAsync();
    }
}
