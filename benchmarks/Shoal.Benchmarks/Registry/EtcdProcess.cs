using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Etcdserverpb;
using Grpc.Core;
using Grpc.Net.Client;

namespace Shoal.Benchmarks.Registry;

/// <summary>One etcd process on free 127.0.0.1 ports with a temporary data directory; disposing kills it and deletes the directory.</summary>
internal sealed class EtcdProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dataDir;

    private EtcdProcess(Process process, string dataDir, Uri clientUrl)
    {
        _process = process;
        _dataDir = dataDir;
        ClientUrl = clientUrl;
    }

    public Uri ClientUrl { get; }

    public static async Task<EtcdProcess> StartAsync()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), $"shoal-bench-etcd-{Guid.NewGuid():N}");
        var client = $"http://127.0.0.1:{FreePort()}";
        var peer = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("etcd")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "--name", "bench", "--data-dir", dataDir,
            "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", $"bench={peer}", "--initial-cluster-state", "new",
        })
        {
            start.ArgumentList.Add(arg);
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("etcd did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new FileNotFoundException($"etcd was not found on PATH ({ex.Message}); install it with scripts/install-test-deps.sh (Debian package etcd-server).", ex);
        }
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var etcd = new EtcdProcess(process, dataDir, new Uri(client));
        try
        {
            await etcd.WaitReadyAsync(TimeSpan.FromSeconds(30));
            return etcd;
        }
        catch
        {
            await etcd.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var channel = GrpcChannel.ForAddress(ClientUrl);
        var clock = Stopwatch.StartNew();
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"etcd exited with code {_process.ExitCode} while starting.");
            }
            try
            {
                await new Maintenance.MaintenanceClient(channel).StatusAsync(new StatusRequest(), deadline: DateTime.UtcNow.AddSeconds(1));
                return;
            }
            catch (RpcException) when (clock.Elapsed < timeout)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException("etcd did not answer in time.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
