using System.Diagnostics;
using Etcdserverpb;
using Grpc.Core;
using Grpc.Net.Client;

namespace Shoal.Registry.Tests.Support;

/// <summary>
/// One real etcd process on loopback ports with a temporary data directory. The tests start it
/// themselves; a machine without etcd fails with a message saying how to install it.
/// </summary>
internal sealed class EtcdMember : IAsyncDisposable
{
    private readonly object _lock = new();
    private readonly Queue<string> _output = new();
    private Process? _process;
    private string _initialCluster = "";
    private string _token = "";
    private string[] _tls = [];
    private volatile bool _announcedReady;

    private EtcdMember(string name, string dataDir)
    {
        Name = name;
        DataDir = dataDir;
        ClientPort = FreePorts.Next();
        PeerPort = FreePorts.Next();
    }

    public string Name { get; }

    public string DataDir { get; }

    public int ClientPort { get; }

    public int PeerPort { get; }

    public Uri ClientUrl => new($"{(_tls.Length > 0 ? "https" : "http")}://127.0.0.1:{ClientPort}");

    public string PeerUrl => $"http://127.0.0.1:{PeerPort}";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts a single-member cluster and waits until it answers.</summary>
    public static async Task<EtcdMember> StartSingleAsync()
    {
        var member = Create("n1");
        try
        {
            member.Launch($"{member.Name}={member.PeerUrl}", $"shoal-{Guid.NewGuid():N}");
            await member.WaitReadyAsync(TimeSpan.FromSeconds(30));
            return member;
        }
        catch
        {
            await member.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts a single member that serves clients over TLS with <paramref name="certificate"/> and
    /// requires client certificates issued by <paramref name="clientCa"/> (<c>--client-cert-auth</c>).
    /// </summary>
    public static async Task<EtcdMember> StartWithClientCertAuthAsync((string Certificate, string Key) certificate, string clientCa)
    {
        var member = Create("n1");
        member._tls = ["--cert-file", certificate.Certificate, "--key-file", certificate.Key, "--client-cert-auth", "--trusted-ca-file", clientCa];
        try
        {
            member.Launch($"{member.Name}={member.PeerUrl}", $"shoal-{Guid.NewGuid():N}");
            await member.WaitAnnouncedReadyAsync(TimeSpan.FromSeconds(30));
            return member;
        }
        catch
        {
            await member.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates <paramref name="count"/> members of one cluster, starts them all and waits until each answers.</summary>
    public static async Task<EtcdMember[]> StartClusterAsync(int count)
    {
        var members = Enumerable.Range(1, count).Select(i => Create($"n{i}")).ToArray();
        try
        {
            var cluster = string.Join(",", members.Select(m => $"{m.Name}={m.PeerUrl}"));
            var token = $"shoal-{Guid.NewGuid():N}";
            foreach (var member in members)
            {
                member.Launch(cluster, token);
            }
            await Task.WhenAll(members.Select(m => m.WaitReadyAsync(TimeSpan.FromSeconds(60))));
            return members;
        }
        catch
        {
            foreach (var member in members)
            {
                await member.DisposeAsync();
            }
            throw;
        }
    }

    /// <summary>Kills the process (SIGKILL): no goodbye to the cluster or the clients.</summary>
    public void Kill()
    {
        var process = _process;
        if (process is null)
        {
            return;
        }
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        process.WaitForExit(10_000);
        process.Dispose();
        _process = null;
    }

    /// <summary>Starts the killed process again on the same ports and data directory.</summary>
    public async Task RestartAsync()
    {
        Launch(_initialCluster, _token);
        await WaitReadyAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>The member's status (member id, leader id).</summary>
    public async Task<StatusResponse> StatusAsync()
    {
        using var channel = GrpcChannel.ForAddress(ClientUrl);
        return await new Maintenance.MaintenanceClient(channel).StatusAsync(new StatusRequest(), deadline: DateTime.UtcNow.AddSeconds(3));
    }

    public string RecentOutput()
    {
        lock (_lock)
        {
            return string.Join('\n', _output);
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return ValueTask.CompletedTask;
    }

    private static EtcdMember Create(string name)
        => new(name, Directory.CreateTempSubdirectory("shoal-etcd-").FullName);

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
            "etcd is not on PATH. The etcd registry tests run a real etcd: run scripts/install-test-deps.sh (it installs Debian's etcd-server) and run the tests again.");
    }

    private void Launch(string initialCluster, string token)
    {
        _initialCluster = initialCluster;
        _token = token;
        var info = new ProcessStartInfo(FindEtcd())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] args =
        [
            "--name", Name, "--data-dir", DataDir,
            "--listen-client-urls", ClientUrl.ToString().TrimEnd('/'), "--advertise-client-urls", ClientUrl.ToString().TrimEnd('/'),
            "--listen-peer-urls", PeerUrl, "--initial-advertise-peer-urls", PeerUrl,
            "--initial-cluster", initialCluster, "--initial-cluster-state", "new", "--initial-cluster-token", token,
            "--heartbeat-interval", "100", "--election-timeout", "1000",
            .. _tls,
        ];
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }
        if (line.Contains("ready to serve client requests", StringComparison.Ordinal))
        {
            _announcedReady = true;
        }
        lock (_lock)
        {
            _output.Enqueue(line);
            while (_output.Count > 40)
            {
                _output.Dequeue();
            }
        }
    }

    // With client-cert-auth the readiness probe would need the test's certificates: etcd's own line says it instead.
    private async Task WaitAnnouncedReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!_announcedReady)
        {
            if (_process is null || _process.HasExited)
            {
                throw new InvalidOperationException($"etcd {Name} exited while starting:\n{RecentOutput()}");
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"etcd {Name} did not say it was ready within {timeout}:\n{RecentOutput()}");
            }
            await Task.Delay(50);
        }
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        using var channel = GrpcChannel.ForAddress(ClientUrl);
        var kv = new KV.KVClient(channel);
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            if (_process is null || _process.HasExited)
            {
                throw new InvalidOperationException($"etcd {Name} exited while starting:\n{RecentOutput()}");
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
        throw new TimeoutException($"etcd {Name} did not answer within {timeout}: {last?.Message}\n{RecentOutput()}");
    }
}
