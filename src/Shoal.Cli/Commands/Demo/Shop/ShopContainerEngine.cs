using System.Diagnostics;
using System.Globalization;
using Docker.DotNet;
using Shoal.Autoscaling.Containers;

namespace Shoal.Cli.Commands.Demo.Shop;

/// <summary>
/// The container side of <c>shoal demo --app shop --containers</c>: podman and the shop image checked
/// up front, a <c>podman system service</c> of the demo's own (the Docker Engine API the container
/// actuator talks to) on a socket in the temp directory, and, at the end, every container with this
/// run's label removed and the service stopped, however the demo ended.
/// </summary>
internal sealed class ShopContainerEngine : IAsyncDisposable
{
    /// <summary>The label on every container a containers demo starts; its value is the run's id.</summary>
    public const string RunLabel = "io.shoal.demo.run";

    /// <summary>The image the demo runs when <c>--image</c> is not given: what <c>deploy/build-images.sh --only shop</c> builds.</summary>
    public const string DefaultImage = "localhost/shoal/shop:dev";

    private const string ConfigurationVariable = "CONTAINERS_CONF";

    private static readonly TimeSpan CommandLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ServiceStartLimit = TimeSpan.FromSeconds(30);

    private readonly Process _service;
    private readonly string _socket;

    private ShopContainerEngine(Process service, string socket, string runId)
    {
        _service = service;
        _socket = socket;
        RunId = runId;
    }

    /// <summary>Gets this run's id, the value of <see cref="RunLabel"/> and part of every container's name.</summary>
    public string RunId { get; }

    /// <summary>Gets <c>label=value</c> selecting this run's containers (<c>podman ps -a --filter label=...</c>).</summary>
    public string Label => $"{RunLabel}={RunId}";

    /// <summary>Gets the Engine API endpoint of the demo's podman service.</summary>
    public Uri Endpoint => new($"unix://{_socket}");

    /// <summary>
    /// Fails with one line when podman is missing or <paramref name="image"/> is not built; the demo
    /// does not build it (a cold build takes minutes). Runs before anything starts.
    /// </summary>
    public static async Task CheckAsync(string image, CancellationToken cancellationToken)
    {
        if (!IsOnPath("podman"))
        {
            throw new UsageException("--containers needs podman, which is not installed; install it with: apt-get install -y podman runc (scripts/install-test-deps.sh does).");
        }
        var (code, _, error) = await PodmanAsync(["image", "exists", image], cancellationToken).ConfigureAwait(false);
        if (code == 1)
        {
            throw new UsageException($"the shop image {image} is not built; build it with: deploy/build-images.sh --only shop (or give --image).");
        }
        if (code != 0)
        {
            throw new UsageException($"podman cannot run here (podman image exists {image}: exit {code}: {FirstLine(error)}).");
        }
    }

    /// <summary>Starts the demo's podman service and waits until it answers.</summary>
    public static async Task<ShopContainerEngine> StartAsync(CancellationToken cancellationToken)
    {
        var runId = Guid.NewGuid().ToString("N")[..8];
        var socket = Path.Combine(Path.GetTempPath(), $"shoal-shop-{runId}.sock");
        var service = Process.Start(PodmanStart(["system", "service", "--time=0", $"unix://{socket}"])) ?? throw new InvalidOperationException("podman system service did not start.");
        service.OutputDataReceived += static (_, _) => { };
        service.ErrorDataReceived += static (_, _) => { };
        service.BeginOutputReadLine();
        service.BeginErrorReadLine();
        var engine = new ShopContainerEngine(service, socket, runId);
        try
        {
            using var client = new DockerClientConfiguration(engine.Endpoint).CreateClient();
            var clock = Stopwatch.StartNew();
            while (true)
            {
                if (service.HasExited)
                {
                    throw new InvalidOperationException($"podman system service on {socket} exited with code {service.ExitCode}.");
                }
                try
                {
                    await client.System.PingAsync(cancellationToken).ConfigureAwait(false);
                    return engine;
                }
                catch (Exception e) when (e is HttpRequestException or IOException or DockerApiException or TimeoutException
                    && clock.Elapsed < ServiceStartLimit)
                {
                    await Task.Delay(200, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            await engine.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The container actuator's settings for <paramref name="service"/>: the shop image running the
    /// service's program on the host's network (it reaches the registry on 127.0.0.1 and listens on a
    /// free loopback port it registers), the SQLite folder mounted at /data, this run's label.
    /// </summary>
    public ContainerActuatorOptions Options(ShopDemoSettings settings, string service, string registry, string dataDirectory) => new()
    {
        Endpoint = Endpoint,
        Image = settings.Image,
        Arguments = [service.ToLowerInvariant(), .. ShopPrograms.Arguments(settings, service, registry, "/data", "0")],
        Environment = new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" },
        Network = "host",
        Volumes = [$"{dataDirectory}:/data"],
        Labels = new Dictionary<string, string> { [RunLabel] = RunId },
        Owner = "shoal-demo",
        InstancePrefix = $"shoal-shop-{RunId}-{service.ToLowerInvariant()}",
        GracePeriod = TimeSpan.FromSeconds(10),
        RestartDelay = TimeSpan.FromMilliseconds(300),
    };

    /// <summary>The names of this run's containers that still exist (empty once <see cref="DisposeAsync"/> cleaned up).</summary>
    public async Task<IReadOnlyList<string>> LeftAsync()
    {
        var (code, output, error) = await PodmanAsync(["ps", "--all", "--filter", $"label={Label}", "--format", "{{.Names}}"], CancellationToken.None).ConfigureAwait(false);
        return code == 0
            ? output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [$"(podman ps failed: {FirstLine(error)})"];
    }

    /// <summary>Removes every container with this run's label (the actuators removed theirs already unless the demo failed) and stops the podman service.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_service.HasExited)
        {
            var (_, ids, _) = await PodmanAsync(["ps", "--all", "--quiet", "--filter", $"label={Label}"], CancellationToken.None).ConfigureAwait(false);
            foreach (var id in ids.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                await PodmanAsync(["rm", "--force", "--time", "0", id], CancellationToken.None).ConfigureAwait(false);
            }
            _service.Kill(entireProcessTree: true);
            await _service.WaitForExitAsync(CancellationToken.None).WaitAsync(CommandLimit).ConfigureAwait(false);
        }
        _service.Dispose();
        File.Delete(_socket);
    }

    private static async Task<(int Code, string Output, string Error)> PodmanAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        using var podman = Process.Start(PodmanStart(arguments)) ?? throw new InvalidOperationException("podman did not start.");
        var output = podman.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = podman.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await podman.WaitForExitAsync(cancellationToken).WaitAsync(CommandLimit, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            podman.Kill(entireProcessTree: true);
            return (-1, "", string.Create(CultureInfo.InvariantCulture, $"podman {string.Join(' ', arguments)} took over {CommandLimit.TotalSeconds:0} s"));
        }
        return (podman.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }

    /// <summary>
    /// podman with the settings deploy/build-images.sh uses: <c>$CONTAINERS_CONF</c> when set, else the
    /// repository's deploy/podman/containers.conf when shoal runs from a repository build.
    /// </summary>
    private static ProcessStartInfo PodmanStart(IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo("podman") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ConfigurationVariable))
            && ShopPrograms.RepositoryRoot(new DirectoryInfo(AppContext.BaseDirectory)) is { } repository
            && Path.Combine(repository, "deploy", "podman", "containers.conf") is { } conf && File.Exists(conf))
        {
            start.Environment[ConfigurationVariable] = conf;
        }
        return start;
    }

    private static bool IsOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(folder => File.Exists(Path.Combine(folder, program)));

    private static string FirstLine(string text) => text.Trim().Split('\n')[0];
}
