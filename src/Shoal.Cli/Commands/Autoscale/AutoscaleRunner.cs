using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Shoal.Autoscaling.Hosting;
using Shoal.Cli.Hosting;
using Shoal.Registry.Etcd;

namespace Shoal.Cli.Commands.Autoscale;

/// <summary>
/// <c>shoal autoscale run</c>: runs the autoscaler against a live cluster and prints every decision
/// with its reason, until <c>--duration</c> passes or SIGINT/SIGTERM arrives (both end with exit code 0).
/// </summary>
internal static class AutoscaleRunner
{
    public static async Task<int> RunAsync(AutoscaleRunSettings settings, CommandIO io)
    {
        var (options, actuators, duration) = AutoscaleRunOptionsBuilder.Build(settings);
        if (settings.RegistryTokenFile is { } tokenFile && !Shoal.Client.Discovery.Embedded.RegistryToken.TryRead(tokenFile, out _, out var tokenError))
        {
            throw new UsageException($"--registry-token-file: {tokenError}");
        }

        // Decisions go to stdout; warnings (an unreachable registry, an instance that stopped reporting) to stderr.
        using var loggerFactory = LoggerFactory.Create(logging => logging
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .SetMinimumLevel(LogLevel.Warning));
        await using var metrics = settings.MetricsPort is { } port ? await StartMetricsAsync(port, io).ConfigureAwait(false) : null;
        ShoalAutoscaler created;
        try
        {
            created = ShoalAutoscaler.Create(options, loggerFactory: loggerFactory, configureChannel: channel =>
            {
                channel.RegistryTokenFile = settings.RegistryTokenFile;
                channel.UseEtcd();
            }, actuators: actuators);
        }
        catch (Exception e) when (UsageException.IsBadTarget(e))
        {
            throw new UsageException(e.Message);
        }
        await using var autoscaler = created;
        await using var status = AutoscalerStatusHost.CanRegister(options.Registry)
            ? await StartStatusAsync(autoscaler, settings.RegistryTokenFile, io).ConfigureAwait(false)
            : null;
        var output = io.Output;
        var gate = new object();
        autoscaler.Decided += (_, decision) =>
        {
            var line = settings.Json ? ToJson(decision) : ToText(decision);
            lock (gate)
            {
                output.WriteLine(line);
                output.Flush();
            }
        };

        await io.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"shoal autoscale run: {options.LoadTarget()}, actuator {options.Actuator}, {options.MinReplicas}..{options.MaxReplicas} replicas, capacity {(options.Capacity is { } c ? c.ToString("0.##", CultureInfo.InvariantCulture) + "/s" : "learned")}, a decision every {DurationParser.Format(options.Interval)}"))
            .ConfigureAwait(false);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(io.Cancellation);
        if (duration is { } d)
        {
            stop.CancelAfter(d);
        }
        await autoscaler.RunAsync(stop.Token).ConfigureAwait(false);
        await io.Error.WriteLineAsync(io.Cancellation.IsCancellationRequested ? "shoal autoscale run: stopped" : "shoal autoscale run: duration reached").ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static async Task<Shoal.Server.ShoalMetricsServer> StartMetricsAsync(int port, CommandIO io)
    {
        Shoal.Server.ShoalMetricsServer server;
        try
        {
            server = await Shoal.Server.ShoalMetricsServer.StartAsync("127.0.0.1", port, io.Cancellation).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException($"The metrics port cannot listen on 127.0.0.1:{port}: {e.Message}", e);
        }
        await io.Error.WriteLineAsync($"shoal autoscale run: metrics on {server.Address.GetLeftPart(UriPartial.Authority)}/metrics").ConfigureAwait(false);
        return server;
    }

    private static async Task<AutoscalerStatusHost> StartStatusAsync(ShoalAutoscaler autoscaler, string? registryTokenFile, CommandIO io)
    {
        var host = await AutoscalerStatusHost.StartAsync(autoscaler, registryTokenFile, io.Cancellation).ConfigureAwait(false);
        await io.Error.WriteLineAsync($"shoal autoscale run: status on {host.Address} ({AutoscalerStatusService.ServiceName}, registered with {autoscaler.Options.Registry})").ConfigureAwait(false);
        return host;
    }

    private static string ToText(AutoscaleDecision entry)
    {
        var d = entry.Decision;
        var load = entry.Load;
        return string.Create(CultureInfo.InvariantCulture,
            $"{d.Time:HH:mm:ss} {d.Reason} {d.CurrentReplicas} -> {d.Desired} replicas: load {d.CurrentLoad:0.0}/s from {load.Instances} instance(s), forecast {d.Forecast:0.0}/s, headroom {d.Headroom * 100:0}%, capacity {d.Capacity:0.0}/s per replica, p99 {load.P99.TotalMilliseconds:0.0} ms, errors {load.Errors}");
    }

    private static string ToJson(AutoscaleDecision entry)
    {
        var d = entry.Decision;
        var load = entry.Load;
        var line = new AutoscaleRunLine(
            d.Time,
            entry.Actuator,
            d.Reason.ToString(),
            d.CurrentReplicas,
            d.Desired,
            d.Recommended,
            load.Instances,
            Math.Round(d.CurrentLoad, 3),
            Math.Round(d.Forecast, 3),
            Math.Round(d.Headroom, 4),
            Math.Round(d.Capacity, 3),
            Math.Round(load.P99.TotalMilliseconds, 3),
            load.Errors,
            Math.Round(load.CpuUtilisation, 4));
        return JsonSerializer.Serialize(line, AutoscaleRunJsonContext.Default.AutoscaleRunLine);
    }
}
