using System.Globalization;
using Shoal.Autoscaling.Actuators;
using Shoal.Cli.Hosting;

namespace Shoal.Cli.Commands.Demo.Shop;

/// <summary>
/// <c>shoal demo --app shop</c>: the embedded registry in this process; the shop's four programs as
/// separate processes (or, with <c>--containers</c>, containers of the shop image), each registered (Inventory scaled by the autoscaler through the local
/// or container actuator, Orders and Payment two instances each, Shipping one); orders following a compressed
/// WorldCup day; one Inventory instance SIGKILLed and one Payment instance SIGTERMed midway.
/// </summary>
internal static class ShopDemoRunner
{
    /// <summary>Runs the demo, writing progress to <paramref name="progress"/>.</summary>
    public static async Task<ShopDemoReport> RunAsync(ShopDemoSettings settings, TextWriter progress, CancellationToken cancellationToken)
    {
        var peakOrders = settings.Capacity * settings.PeakInstances / (1 + settings.DeclinedShare);
        var shape = DemoLoadShape.Create(settings.TracePath, settings.Duration, settings.Interval, peakOrders);
        var data = Path.Combine(Path.GetTempPath(), $"shoal-shop-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{Environment.ProcessId}");
        Directory.CreateDirectory(data);
        await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Shop demo: orders following {shape.Source}, compressed into {shape.Duration.TotalSeconds:0} s, peak {shape.Peak:0} orders/s.")).ConfigureAwait(false);
        await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Each order: Orders reserves stock (Inventory), charges the card (Payment, idempotency key), ships (Shipping); {settings.DeclinedShare:P0} of cards are declined and their stock released.")).ConfigureAwait(false);
        await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Inventory is the hot service: each instance serves {settings.Capacity:0} calls/s (a fixed service time), so the autoscaler runs {settings.MinReplicas}-{settings.MaxReplicas} of them; state is shared SQLite in {data}.")).ConfigureAwait(false);

        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), Math.Max(io, 32));
        var registry = await EmbeddedRegistryHost.StartAsync(settings.RegistryTokenFile, cancellationToken).ConfigureAwait(false);
        await using (registry.ConfigureAwait(false))
        {
            await progress.WriteLineAsync(AutoscaleDemoRunner.RegistryLine(registry.Address, settings.RegistryTokenFile)).ConfigureAwait(false);
            ShopContainerEngine? engine = null;
            if (settings.Containers)
            {
                engine = await ShopContainerEngine.StartAsync(cancellationToken).ConfigureAwait(false);
                // The containers run as the image's user (uid 1654): they must write the SQLite files.
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(data, (UnixFileMode)0b111_111_111);
                }
                await progress.WriteLineAsync($"Instances run as containers of {settings.Image} on the host's network (podman system service at {engine.Endpoint}; containers labelled {engine.Label}).").ConfigureAwait(false);
            }
            ShopDemoReport report;
            try
            {
                var instances = ShopPrograms.Services.ToDictionary(s => s, IShopInstances (s) => engine is null
                    ? new ShopProcessInstances(s, ShopPrograms.Options(settings, s, registry.Address, data))
                    : new ShopContainerInstances(s, engine.Options(settings, s, registry.Address, data)));
                try
                {
                    report = await new ShopDemoRun(settings, shape, instances, progress).ExecuteAsync(registry.Address, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    foreach (var set in instances.Values)
                    {
                        await set.DisposeAsync().ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                if (engine is not null)
                {
                    await engine.DisposeAsync().ConfigureAwait(false);
                }
            }
            TryDelete(data);
            return engine is null
                ? report with { ProcessesLeft = [.. report.Processes.Where(ShopPrograms.IsAlive)] }
                : report with { Runtime = "containers", Image = settings.Image, ContainerLabel = engine.Label, ContainersLeft = await engine.LeftAsync().ConfigureAwait(false) };
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the OS to clean: it is in the temp directory.
        }
    }
}
