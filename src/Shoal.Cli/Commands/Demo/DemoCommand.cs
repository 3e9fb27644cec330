using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Shoal.Cli.Commands.Demo.Shop;
using Shoal.Client.Discovery.Embedded;

namespace Shoal.Cli.Commands.Demo;

/// <summary>
/// <c>shoal demo</c>: the whole story (registry, autoscaler, capacity-limited instance processes, a
/// WorldCup day of load, a SIGKILL midway, zero failed calls). <c>--quick</c> is the short
/// transport walkthrough: one host, both transports, every call kind.
/// </summary>
internal static class DemoCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var json = new Option<bool>("--json") { Description = "Print the final report as one JSON document (progress goes to stderr)." };
        var quick = new Option<bool>("--quick") { Description = "Only the transport walkthrough: one host, both transports, every call kind (seconds)." };
        var duration = new Option<TimeSpan>("--duration", "-d")
        {
            Description = "How long the compressed day of load runs (e.g. 150s, 2m).",
            DefaultValueFactory = _ => AutoscaleDemoSettings.DefaultDuration,
            CustomParser = DurationParser.Parse,
        };
        var capacity = new Option<double>("--capacity") { Description = "Calls per second one instance serves.", DefaultValueFactory = _ => 100 };
        var minReplicas = new Option<int>("--min-replicas") { Description = "The fewest instances (2 survives a SIGKILL without a gap).", DefaultValueFactory = _ => 2 };
        var maxReplicas = new Option<int>("--max-replicas") { Description = "The most instances the autoscaler starts.", DefaultValueFactory = _ => 8 };
        var html = new Option<string?>("--html") { Description = "Where to write the HTML chart (default: a file in the temp directory)." };
        var trace = new Option<string?>("--trace") { Description = "A per-minute trace CSV (default: the shipped WorldCup98 excerpt; its 1998-06-25 is replayed)." };
        var noKill = new Option<bool>("--no-kill") { Description = "Do not SIGKILL an instance midway." };
        var app = new Option<string>("--app") { Description = "The system under load: greeter, or shop (orders, inventory, payment, shipping; docs/shop.md).", DefaultValueFactory = _ => "greeter" };
        app.AcceptOnlyFromAmong("greeter", "shop");
        var shopDir = new Option<string?>("--shop-dir") { Description = $"--app shop: the folder holding Shop.<Service>/Shop.<Service>.dll (default: ${ShopPrograms.DirectoryVariable}, else the repository's build of samples/Shop)." };
        var containers = new Option<bool>("--containers") { Description = "--app shop: run the services as containers of the shop image (podman; scaled by the container actuator)." };
        var image = new Option<string>("--image") { Description = "--app shop --containers: the shop image (built by deploy/build-images.sh --only shop).", DefaultValueFactory = _ => ShopContainerEngine.DefaultImage };
        var registryToken = new Option<string?>("--registry-token-file")
        {
            Description = "Run the embedded registry members only: it requires the token in this file, and every process the demo starts sends it.",
        };
        OptionRules.AtLeast(duration, TimeSpan.FromSeconds(10));
        OptionRules.AtLeast(minReplicas, 1);
        OptionRules.AtLeast(maxReplicas, 2);
        capacity.Validators.Add(result =>
        {
            var value = result.GetValue(capacity);
            if (!(value >= 5 && value <= 5000))
            {
                result.AddError("--capacity must be between 5 and 5000 calls per second.");
            }
        });
        var command = new Command("demo", "The autoscaling story: registry, autoscaler, Greeter instance processes, a WorldCup day of load, a SIGKILL; --quick for the transport walkthrough.")
        {
            json, quick, duration, capacity, minReplicas, maxReplicas, html, trace, noKill, app, shopDir, containers, image, registryToken,
        };
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, cancellationToken, io =>
        {
            if (parseResult.GetValue(app) != "shop" && (parseResult.GetValue(containers) || parseResult.GetResult(image) is { Implicit: false }))
            {
                throw new UsageException("--containers and --image are for --app shop.");
            }
            var tokenFile = RegistryTokenFile(parseResult.GetValue(registryToken), parseResult.GetValue(quick));
            if (tokenFile is not null && parseResult.GetValue(containers))
            {
                // The containers run as the image's user and would need the file mounted readable for it.
                throw new UsageException("--registry-token-file is not supported with --containers yet.");
            }
            if (parseResult.GetValue(app) == "shop")
            {
                return parseResult.GetValue(quick) || parseResult.GetValue(html) is not null
                    ? throw new UsageException("--quick and --html are for the Greeter demo, not --app shop.")
                    : ShopDemoCommand.RunAsync(ShopDemoCommand.Settings(parseResult, duration, capacity, minReplicas, maxReplicas, trace, noKill) with
                    {
                        ProgramsDirectory = parseResult.GetValue(shopDir),
                        Containers = parseResult.GetValue(containers),
                        Image = parseResult.GetValue(image)!,
                        RegistryTokenFile = tokenFile,
                    }, parseResult.GetValue(json), io);
            }
            if (parseResult.GetValue(quick))
            {
                return RunQuickAsync(parseResult.GetValue(json), io);
            }
            var settings = new AutoscaleDemoSettings
            {
                Duration = parseResult.GetValue(duration),
                Capacity = parseResult.GetValue(capacity),
                MinReplicas = parseResult.GetValue(minReplicas),
                MaxReplicas = parseResult.GetValue(maxReplicas),
                HtmlPath = parseResult.GetValue(html),
                TracePath = parseResult.GetValue(trace),
                Kill = !parseResult.GetValue(noKill),
                RegistryTokenFile = tokenFile,
            };
            if (settings.MinReplicas > settings.MaxReplicas)
            {
                throw new UsageException("--min-replicas must not exceed --max-replicas.");
            }
            return RunAutoscaleAsync(settings, parseResult.GetValue(json), io);
        }));
        return command;
    }

    /// <summary>The token file, checked before anything starts: a missing, unreadable or empty file is a usage error.</summary>
    private static string? RegistryTokenFile(string? path, bool quick)
    {
        if (path is null)
        {
            return null;
        }
        if (quick)
        {
            throw new UsageException("--registry-token-file is for the autoscaling demos (Greeter and --app shop); --quick runs no registry.");
        }
        return RegistryToken.TryRead(path, out _, out var error)
            ? path
            : throw new UsageException($"--registry-token-file: {error}");
    }

    private static async Task<int> RunAutoscaleAsync(AutoscaleDemoSettings settings, bool json, CommandIO io)
    {
        var progress = json ? io.Error : io.Output;
        var report = await AutoscaleDemoRunner.RunAsync(settings, progress, io.Cancellation).ConfigureAwait(false);
        var htmlPath = settings.HtmlPath ?? Path.Combine(Path.GetTempPath(),
            $"shoal-demo-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{Environment.ProcessId}.html");
        try
        {
            report = report with { Html = Path.GetFullPath(htmlPath) };
            await DemoHtmlChart.WriteAsync(report, htmlPath, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            report = report with { Html = null };
            await io.Error.WriteLineAsync($"shoal: could not write the chart to {htmlPath}: {e.Message}").ConfigureAwait(false);
        }
        if (json)
        {
            await io.Output.WriteLineAsync(JsonSerializer.Serialize(report, DemoJsonContext.Default.AutoscaleDemoReport)).ConfigureAwait(false);
        }
        else
        {
            await io.Output.WriteAsync(report.ToText()).ConfigureAwait(false);
        }
        if (report.Failed == 0 && report.ProcessesLeft.Count == 0)
        {
            return ExitCodes.Success;
        }
        await io.Error.WriteLineAsync(report.Failed > 0
            ? $"ERROR: {report.Failed} of {report.Calls} demo calls failed: {string.Join("; ", report.Failures)}"
            : $"ERROR: instance processes outlived the demo: {string.Join(", ", report.ProcessesLeft)}").ConfigureAwait(false);
        return ExitCodes.Failure;
    }

    private static async Task<int> RunQuickAsync(bool json, CommandIO io)
    {
        var report = await DemoRunner.RunAsync(io.Cancellation).ConfigureAwait(false);
        if (json)
        {
            await io.Output.WriteLineAsync(JsonSerializer.Serialize(report, CliJsonContext.Default.DemoReport)).ConfigureAwait(false);
        }
        else
        {
            await io.Output.WriteAsync(report.ToText()).ConfigureAwait(false);
        }
        if (report.Ok)
        {
            return ExitCodes.Success;
        }
        var failed = report.Steps.FirstOrDefault(s => !s.Ok);
        await io.Error.WriteLineAsync(failed is null
            ? "ERROR: demo latency sample had failed calls."
            : $"ERROR: demo call {failed.Method} over {failed.Transport} failed: {string.Join(" ", failed.Result)}").ConfigureAwait(false);
        return ExitCodes.Failure;
    }
}
