using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Shoal.Tests.Telemetry;

/// <summary>
/// A real Prometheus (Debian's <c>prometheus</c>, installed by scripts/install-test-deps.sh) on
/// 127.0.0.1 with a free port, a configuration this class writes (one job scraping the given
/// targets every second) and a temporary data folder; killed and its folder deleted on dispose.
/// </summary>
public sealed class PrometheusProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly Process _process;
    private readonly string _folder;
    private readonly List<string> _output = [];

    private PrometheusProcess(Process process, string folder, Uri address)
    {
        _process = process;
        _folder = folder;
        Address = address;
    }

    /// <summary>Its HTTP API's base address.</summary>
    public Uri Address { get; }

    /// <summary>What it printed, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output.TakeLast(40));
            }
        }
    }

    /// <summary>Starts Prometheus scraping <paramref name="targets"/> (<c>host:port</c>) every second and waits until it is ready.</summary>
    public static async Task<PrometheusProcess> StartAsync(IEnumerable<string> targets, TimeSpan timeout)
    {
        var binary = new[] { "/usr/bin/prometheus", "/usr/local/bin/prometheus" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("prometheus is not installed: run scripts/install-test-deps.sh (Debian package 'prometheus').");
        var folder = Directory.CreateTempSubdirectory("shoal-prometheus-").FullName;
        var config = Path.Combine(folder, "prometheus.yml");
        var list = string.Join(", ", targets.Select(t => $"'{t}'"));
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: shoal
                static_configs:
                  - targets: [{list}]
            """);
        var port = FreePort();
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add($"--config.file={config}");
        info.ArgumentList.Add($"--storage.tsdb.path={Path.Combine(folder, "data")}");
        info.ArgumentList.Add($"--web.listen-address=127.0.0.1:{port}");
        var process = new Process { StartInfo = info };
        var prometheus = new PrometheusProcess(process, folder, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => prometheus.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => prometheus.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await prometheus.WaitReadyAsync(timeout);
        }
        catch
        {
            await prometheus.DisposeAsync();
            throw;
        }
        return prometheus;
    }

    /// <summary>Runs an instant PromQL query; returns each series' labels and value.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string promQl)
    {
        var uri = new Uri(Address, "api/v1/query?query=" + Uri.EscapeDataString(promQl));
        using var document = JsonDocument.Parse(await Http.GetStringAsync(uri));
        var root = document.RootElement;
        if (root.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"Prometheus refused '{promQl}': {root}");
        }
        var series = new List<(IReadOnlyDictionary<string, string>, double)>();
        foreach (var item in root.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            var labels = item.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
            var value = double.Parse(item.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
            series.Add((labels, value));
        }
        return series;
    }

    /// <summary>The health of the scrape of each target (<c>up</c>, <c>lastError</c>) as Prometheus reports it.</summary>
    public Task<string> TargetsAsync() => Http.GetStringAsync(new Uri(Address, "api/v1/targets"));

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
        }
        finally
        {
            _process.Dispose();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with {_process.ExitCode}:\n{Output}");
            }
            try
            {
                using var response = await Http.GetAsync(new Uri(Address, "-/ready"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"prometheus was not ready within {timeout}:\n{Output}");
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Add(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
