using System.CommandLine;

namespace Shoal.Cli.Commands.Autoscale;

/// <summary><c>shoal autoscale run</c>: the autoscaler against a live cluster (see <see cref="AutoscaleRunner"/>).</summary>
internal static class AutoscaleRunCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        // Values are read as text and checked by AutoscaleRunOptionsBuilder, so bad input always ends
        // with exit code 2 and one line on stderr.
        var config = new Option<string?>("--config") { Description = "appsettings.json with a Shoal:Autoscaler section; flags override it." };
        var registry = new Option<string?>("--registry") { Description = "Where the instances are: registry://host:port, etcd://host:port, static://h1:p1,h2:p2 or dns:///name:port." };
        var registryToken = new Option<string?>("--registry-token-file") { Description = "A file holding the embedded registry's token (registry:// registries)." };
        var service = new Option<string?>("--service") { Description = "The service to scale, such as hello.Greeter." };
        var actuator = new Option<string?>("--actuator") { Description = "dry-run (default), local or kubernetes." };
        var command = new Option<string?>("--command") { Description = "local: the command that starts one instance; {port} and {instance} are replaced." };
        var deployment = new Option<string?>("--deployment") { Description = "kubernetes: the Deployment to scale." };
        var ns = new Option<string?>("--namespace") { Description = "kubernetes: its namespace (default 'default')." };
        var min = new Option<string?>("--min") { Description = "The fewest replicas (default 1)." };
        var max = new Option<string?>("--max") { Description = "The most replicas (default 10)." };
        var capacity = new Option<string?>("--capacity") { Description = "Requests per second one replica serves, or 'learned' (default) to learn it from the load reports." };
        var interval = new Option<string?>("--interval") { Description = "The control interval (default 15s)." };
        var leadTime = new Option<string?>("--lead-time") { Description = "From decision to a serving replica (default 60s)." };
        var duration = new Option<string?>("--duration") { Description = "Stop after this long (default: until SIGINT/SIGTERM)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per decision." };
        var metricsPort = new Option<int?>("--metrics-port") { Description = "Serve Prometheus metrics (/metrics: load, forecast, replicas, decisions by reason) over HTTP/1.1 on 127.0.0.1 and this port (0: a free port)." };
        metricsPort.Validators.Add(result =>
        {
            if (result.GetValue(metricsPort) is { } value && value is < 0 or > 65535)
            {
                result.AddError($"--metrics-port must be a port from 0 to 65535; got {value}.");
            }
        });

        var run = new Command("run", "Run the autoscaler against a live cluster: read the servers' load reports, decide, scale; prints every decision with its reason.")
        {
            config, registry, registryToken, service, actuator, command, deployment, ns, min, max, capacity, interval, leadTime, duration, json, metricsPort,
        };
        run.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, cancellationToken, io =>
        {
            var settings = new AutoscaleRunSettings
            {
                ConfigFile = parseResult.GetValue(config),
                Registry = parseResult.GetValue(registry),
                RegistryTokenFile = parseResult.GetValue(registryToken),
                Service = parseResult.GetValue(service),
                Actuator = parseResult.GetValue(actuator),
                Command = parseResult.GetValue(command),
                Deployment = parseResult.GetValue(deployment),
                Namespace = parseResult.GetValue(ns),
                Min = parseResult.GetValue(min),
                Max = parseResult.GetValue(max),
                Capacity = parseResult.GetValue(capacity),
                Interval = parseResult.GetValue(interval),
                LeadTime = parseResult.GetValue(leadTime),
                Duration = parseResult.GetValue(duration),
                Json = parseResult.GetValue(json),
                MetricsPort = parseResult.GetValue(metricsPort),
            };
            return AutoscaleRunner.RunAsync(settings, io);
        }));
        return run;
    }
}
