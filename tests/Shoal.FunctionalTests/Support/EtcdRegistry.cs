using System.Net;
using System.Net.Sockets;
using Etcdserverpb;
using Grpc.Core;
using Grpc.Net.Client;

namespace Shoal.FunctionalTests.Support;

/// <summary>
/// A real etcd cluster (one or three members) on free loopback ports with temporary data
/// directories, started by the tests. Stopping it kills the leader (the only member of a
/// one-member cluster); restarting brings that member back. A machine without etcd fails with a
/// message saying how to install it.
/// </summary>
public sealed class EtcdRegistry : IRegistryUnderTest
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(40);

    private readonly Member[] _members;
    private Member? _stopped;

    private EtcdRegistry(int count)
    {
        var token = $"shoal-ft-{Guid.NewGuid():N}";
        _members = [.. Enumerable.Range(1, count).Select(i => new Member($"n{i}", token))];
        var cluster = string.Join(",", _members.Select(m => $"{m.Name}={m.PeerUrl}"));
        foreach (var member in _members)
        {
            member.InitialCluster = cluster;
        }
    }

    /// <inheritdoc/>
    public string ServerAddress => "etcd://" + string.Join(",", _members.Select(m => $"127.0.0.1:{m.ClientPort}"));

    /// <summary>
    /// Starts <paramref name="members"/> members and waits until each answers a linearizable read.
    /// A port picked free can be taken by another process before etcd binds it; such a start is
    /// retried on fresh ports, at most <see cref="StartAttempts"/> times in all.
    /// </summary>
    public static async Task<EtcdRegistry> StartAsync(int members = 1)
    {
        for (var attempt = 1; ; attempt++)
        {
            var etcd = new EtcdRegistry(members);
            try
            {
                foreach (var member in etcd._members)
                {
                    member.Launch();
                }
                await Task.WhenAll(etcd._members.Select(m => m.WaitReadyAsync(ReadyTimeout)));
                return etcd;
            }
            catch (InvalidOperationException e) when (attempt < StartAttempts && e.Message.Contains("address already in use", StringComparison.Ordinal))
            {
                await etcd.DisposeAsync();
            }
            catch
            {
                await etcd.DisposeAsync();
                throw;
            }
        }
    }

    private const int StartAttempts = 3;

    /// <inheritdoc/>
    public string TargetFor(string service) => $"{ServerAddress}/{service}";

    /// <inheritdoc/>
    public async Task StopAsync()
    {
        var leader = _members[0];
        if (_members.Length > 1)
        {
            var status = await _members[0].StatusAsync();
            foreach (var member in _members)
            {
                if ((await member.StatusAsync()).Header.MemberId == status.Leader)
                {
                    leader = member;
                }
            }
        }
        leader.Kill();
        _stopped = leader;
    }

    /// <inheritdoc/>
    public async Task RestartAsync()
    {
        var member = _stopped ?? throw new InvalidOperationException("Nothing was stopped.");
        member.Launch();
        await member.WaitReadyAsync(ReadyTimeout);
        _stopped = null;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (var member in _members)
        {
            await member.DisposeAsync();
        }
    }

    private static string FindEtcd()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "etcd");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException(
            "etcd is not on PATH. The etcd functional tests run a real etcd: run scripts/install-test-deps.sh (it installs Debian's etcd-server) and run the tests again.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Member(string name, string token) : IAsyncDisposable
    {
        private readonly string _dataDir = Directory.CreateTempSubdirectory("shoal-ft-etcd-").FullName;
        private ChildProcess? _process;

        public string Name { get; } = name;

        public int ClientPort { get; } = FreePort();

        public string PeerUrl { get; } = $"http://127.0.0.1:{FreePort()}";

        public string InitialCluster { get; set; } = "";

        private string ClientUrl => $"http://127.0.0.1:{ClientPort}";

        public void Launch()
        {
            // On a restart the data directory already holds the member: the initial-cluster flags are ignored.
            _process = ChildProcess.Start($"etcd {Name}", FindEtcd(),
            [
                "--name", Name, "--data-dir", _dataDir,
                "--listen-client-urls", ClientUrl, "--advertise-client-urls", ClientUrl,
                "--listen-peer-urls", PeerUrl, "--initial-advertise-peer-urls", PeerUrl,
                "--initial-cluster", InitialCluster, "--initial-cluster-state", "new", "--initial-cluster-token", token,
                "--heartbeat-interval", "100", "--election-timeout", "1000",
            ]);
        }

        public void Kill() => _process?.Kill();

        public async Task<StatusResponse> StatusAsync()
        {
            using var channel = GrpcChannel.ForAddress(ClientUrl);
            return await new Maintenance.MaintenanceClient(channel).StatusAsync(new StatusRequest(), deadline: DateTime.UtcNow.AddSeconds(3));
        }

        public async Task WaitReadyAsync(TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            using var channel = GrpcChannel.ForAddress(ClientUrl);
            var kv = new KV.KVClient(channel);
            Exception? last = null;
            while (DateTime.UtcNow < deadline)
            {
                if (_process is null || _process.HasExited)
                {
                    throw new InvalidOperationException($"etcd {Name} exited while starting:\n{_process?.Output}");
                }
                try
                {
                    // A linearizable read succeeds only once the cluster has a leader.
                    await kv.RangeAsync(new RangeRequest { Key = Google.Protobuf.ByteString.CopyFromUtf8("/ready") }, deadline: DateTime.UtcNow.AddSeconds(2));
                    return;
                }
                catch (RpcException ex)
                {
                    last = ex;
                    await Task.Delay(100);
                }
            }
            throw new TimeoutException($"etcd {Name} did not answer within {timeout}: {last?.Message}\n{_process?.Output}");
        }

        public async ValueTask DisposeAsync()
        {
            if (_process is not null)
            {
                await _process.DisposeAsync();
            }
            try
            {
                Directory.Delete(_dataDir, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a temporary directory.
            }
        }
    }
}
