using System.Diagnostics;
using System.Text.Json;
using Shoal.Deployment.Tests.Infrastructure;
using Shoal.Tests.Containers;
using Xunit.Abstractions;

namespace Shoal.Deployment.Tests.Pods;

/// <summary>
/// The images in a podman pod: the embedded registry, three Greeters registered with it and a bench
/// on the cluster target, all in containers; one Greeter container is killed under load.
/// </summary>
[Collection(ContainersCollection.Name)]
[Trait("Category", "Containers")]
public sealed class PodClusterTests(DeploymentImages images, ITestOutputHelper output)
{
    private const int Greeters = 3;
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan BenchLimit = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task RegistryAndThreeGreeters_OneGreeterKilledUnderLoad_NoCallFailsAndSurvivorsServe()
    {
        await images.RequireAsync();
        output.WriteLine($"images built in {images.BuildTime.TotalSeconds:F1} s:\n{images.Summary}");
        var clock = Stopwatch.StartNew();
        var pod = Podman.UniqueName("shoal-pod");
        try
        {
            // The pod shares one network namespace; only the Greeters' native ports reach the host, on 127.0.0.1.
            var publish = Enumerable.Range(1, Greeters).SelectMany(i => new[] { "-p", $"127.0.0.1::{NativePort(i)}" });
            await Run(["pod", "create", "--name", pod, .. publish]);
            // Everything that calls the registry is in the pod: it listens on the pod's loopback (a registry on
            // another address needs --token-file or --insecure).
            await Run(["run", "-d", "--pod", pod, "--name", $"{pod}-registry", images.Image("shoal"),
                "registry", "--host", "127.0.0.1", "--port", "7070"]);
            for (var i = 1; i <= Greeters; i++)
            {
                await Run(["run", "-d", "--pod", pod, "--name", Greeter(pod, i), images.Image("greeter"),
                    "--tcp-port", $"{NativePort(i)}", "--grpc-port", $"{NativePort(i) + 100}", "--registry", "registry://127.0.0.1:7070"]);
            }
            for (var i = 1; i <= Greeters; i++)
            {
                var name = Greeter(pod, i);
                await Eventually.UntilAsync($"{name} registered", StartLimit, async () =>
                    (await Podman.TryRunAsync("logs", name)).Output.Contains("registered with", StringComparison.Ordinal));
            }
            output.WriteLine($"pod up with {Greeters} registered Greeters after {clock.Elapsed.TotalSeconds:F1} s");

            var report = await BenchWhileKillingAsync(pod, Greeter(pod, 2));

            var result = report.RootElement.GetProperty("results")[0];
            output.WriteLine($"bench: {result.GetProperty("requests")} calls, {result.GetProperty("errors")} errors, {result.GetProperty("rps")} calls/s");
            Assert.Equal(0, result.GetProperty("errors").GetInt64());
            Assert.True(result.GetProperty("requests").GetInt64() > 0, "the bench made no call");

            var killed = await Podman.InspectAsync(Greeter(pod, 2), ".State");
            Assert.False(killed.GetProperty("Running").GetBoolean());
            Assert.Equal(137, killed.GetProperty("ExitCode").GetInt32());
            foreach (var survivor in new[] { 1, 3 })
            {
                var port = await HostPortAsync(pod, NativePort(survivor));
                Assert.Equal("Hello survivor", await Greeting.SayHelloAsync($"shoal://{port}", "survivor"));
            }
        }
        finally
        {
            await Podman.TryRunAsync("pod", "rm", "--force", "--time", "5", pod);
            var left = await Podman.TryRunAsync("ps", "--all", "--quiet", "--filter", $"name={pod}");
            Assert.True(left.Output.Trim().Length == 0, $"containers of {pod} were left: {left.Output}");
            output.WriteLine($"pod test: {clock.Elapsed.TotalSeconds:F1} s, cleaned up");
        }
    }

    private static int NativePort(int greeter) => 7100 + greeter;

    private static string Greeter(string pod, int i) => $"{pod}-greeter-{i}";

    /// <summary>Runs the bench in the pod (16 callers, 2 s warm-up, 8 s measured) and kills <paramref name="victim"/> 3 s into the measurement.</summary>
    private async Task<JsonDocument> BenchWhileKillingAsync(string pod, string victim)
    {
        using var bench = CommandLine.Start("podman",
            ["run", "--rm", "--pod", pod, "--name", $"{pod}-bench", images.Image("shoal"),
             "bench", "--target", "registry://127.0.0.1:7070/hello.Greeter", "--idempotent",
             "-c", "16", "--warmup", "2s", "--warmup-extend", "0", "-d", "8s", "--json"],
            Podman.Environment);
        var stdout = bench.StandardOutput.ReadToEndAsync();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderr = Task.Run(async () =>
        {
            var lines = new List<string>();
            while (await bench.StandardError.ReadLineAsync() is { } line)
            {
                lines.Add(line);
                if (line.Contains("warming up", StringComparison.Ordinal))
                {
                    started.TrySetResult();
                }
            }
            started.TrySetResult();
            return string.Join('\n', lines);
        });
        using var limit = new CancellationTokenSource(BenchLimit);
        try
        {
            await started.Task.WaitAsync(limit.Token);
            Assert.False(bench.HasExited, $"the bench ended before the kill: {await stderr}");
            await Task.Delay(TimeSpan.FromSeconds(5), limit.Token);
            await Run(["kill", "--signal", "KILL", victim]);
            await bench.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            bench.Kill(entireProcessTree: true);
            Assert.Fail($"the bench did not finish within {BenchLimit}");
        }
        var error = await stderr;
        output.WriteLine(error);
        Assert.True(bench.ExitCode == 0, $"the bench failed (exit {bench.ExitCode}): {error}");
        return JsonDocument.Parse(await stdout);
    }

    private static async Task<string> HostPortAsync(string pod, int containerPort)
    {
        var infra = await Podman.RunAsync("pod", "inspect", "--format", "{{.InfraContainerID}}", pod);
        var mapping = await Podman.RunAsync("port", infra, $"{containerPort}/tcp");
        Assert.StartsWith("127.0.0.1:", mapping, StringComparison.Ordinal);
        return mapping.Split('\n')[0].Trim();
    }

    private static Task<string> Run(string[] arguments) => Podman.RunAsync(arguments);
}
