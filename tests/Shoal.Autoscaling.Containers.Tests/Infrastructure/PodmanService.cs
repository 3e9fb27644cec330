using System.Diagnostics;
using Docker.DotNet;
using Shoal.Tests.Containers;

namespace Shoal.Autoscaling.Containers.Tests.Infrastructure;

/// <summary>
/// <c>podman system service</c> on a socket of the tests' own (the Docker Engine API the actuator
/// talks to), started once for the project's tests and stopped after them.
/// </summary>
public sealed class PodmanService : IAsyncLifetime
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);
    private Process? _process;

    /// <summary>Gets the socket's path.</summary>
    public string Socket { get; } = Path.Combine(Path.GetTempPath(), Podman.UniqueName("shoal-podman") + ".sock");

    /// <summary>Gets the Engine API endpoint.</summary>
    public Uri Endpoint => new($"unix://{Socket}");

    /// <summary>Gets the label key every container and network these tests make carries.</summary>
    public static string RunLabel => "shoal.tests.run";

    /// <summary>Gets this run's value of <see cref="RunLabel"/>: what is left with it is removed after the tests, whatever they did.</summary>
    public string RunId { get; } = Podman.UniqueName("run");

    /// <summary>Fails the test when podman is missing or its service did not answer.</summary>
    public async Task RequireAsync()
    {
        await Podman.RequireAsync();
        Assert.True(_process is { HasExited: false }, $"podman system service on {Socket} is not running.");
        using var client = new DockerClientConfiguration(Endpoint).CreateClient();
        await client.System.PingAsync();
    }

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        if (!CommandLine.IsOnPath("podman"))
        {
            return;
        }
        _process = CommandLine.Start("podman", ["system", "service", "--time=0", Endpoint.ToString()], Podman.Environment);
        _process.OutputDataReceived += static (_, _) => { };
        _process.ErrorDataReceived += static (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var client = new DockerClientConfiguration(Endpoint).CreateClient();
        await Eventually.UntilAsync($"podman system service answering on {Socket}", StartLimit, async () =>
        {
            Assert.False(_process.HasExited, $"podman system service exited with {(_process.HasExited ? _process.ExitCode : 0)}");
            await client.System.PingAsync();
            return true;
        });
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_process is null)
        {
            return;
        }
        // A test that failed half-way may have left containers or a network: remove whatever has this run's label.
        var filter = $"label={RunLabel}={RunId}";
        var containers = await Podman.TryRunAsync("ps", "--all", "--quiet", "--filter", filter);
        foreach (var container in containers.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            await Podman.TryRunAsync("rm", "--force", "--time", "0", container);
        }
        var networks = await Podman.TryRunAsync("network", "ls", "--quiet", "--filter", filter);
        foreach (var network in networks.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            await Podman.TryRunAsync("network", "rm", "--force", network);
        }
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        _process.Dispose();
        File.Delete(Socket);
    }
}
