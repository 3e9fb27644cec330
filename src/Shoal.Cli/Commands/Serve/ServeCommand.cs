using System.CommandLine;
using System.Text.Json;
using Shoal.Cli.Hosting;

namespace Shoal.Cli.Commands.Serve;

/// <summary>
/// <c>shoal serve</c>: hosts the Greeter on both transports, prints its addresses as one line of
/// JSON on stdout when ready, and stops gracefully on SIGTERM or SIGINT. The hidden
/// <c>--plain-grpc</c> mode hosts it on plain grpc-dotnet instead (the peer of <c>bench --compare</c>).
/// </summary>
internal static class ServeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var host = new Option<string>("--host") { Description = "The address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
        var tcpPort = new Option<int>("--tcp-port") { Description = "The native protocol port (0: a free port, -1: off).", DefaultValueFactory = _ => 7000 };
        var grpcPort = new Option<int>("--grpc-port") { Description = "The gRPC (HTTP/2) port (0: a free port, -1: off).", DefaultValueFactory = _ => 7001 };
        var metricsPort = new Option<int>("--metrics-port") { Description = "Serve Prometheus metrics (/metrics) and probes (/healthz, /readyz) over HTTP/1.1 on this port (0: a free port; default off).", DefaultValueFactory = _ => -1 };
        var delayMs = new Option<int>("--delay-ms") { Description = "Milliseconds every unary SayHello waits before answering.", DefaultValueFactory = _ => 0 };
        var plainGrpc = new Option<bool>("--plain-grpc")
        {
            Description = "Host with plain grpc-dotnet (no Shoal code), gRPC port only: the peer for bench --compare.",
            Hidden = true,
        };
        var telemetry = new Option<bool>("--telemetry")
        {
            Description = "Attach the OpenTelemetry SDK to Shoal's spans (exported nowhere): the server side of bench --telemetry.",
            Hidden = true,
        };
        var capacity = new Option<double?>("--capacity")
        {
            Description = "Serve at most this many unary calls per second; excess load queues (instances with a fixed capacity, as in the demo).",
        };
        var registry = new Option<string?>("--registry")
        {
            Description = "Register with this registry (registry://host:port or etcd://host:port); deregisters and drains on SIGTERM.",
        };
        var loadWindow = new Option<TimeSpan?>("--load-window")
        {
            Description = "The window of the load reports the autoscaler and the balancer read (default 5s; at least 10ms).",
            CustomParser = result => DurationParser.Parse(result),
        };
        loadWindow.Validators.Add(result =>
        {
            if (result.GetValue(loadWindow) is { } value && value < TimeSpan.FromMilliseconds(10))
            {
                result.AddError("--load-window must be at least 10ms.");
            }
        });
        capacity.Validators.Add(result =>
        {
            if (result.GetValue(capacity) is { } value && !(value > 0 && double.IsFinite(value)))
            {
                result.AddError("--capacity must be a positive number of calls per second.");
            }
        });
        var registryTokenFile = new Option<string?>("--registry-token-file") { Description = "A file holding the embedded registry's token (with --registry registry://...)." };
        var registryCa = new Option<string?>("--registry-ca") { Description = "Certificate authorities (PEM) of a registry served with TLS (with --registry registry://...)." };
        var tlsCert = new Option<string?>("--tls-cert") { Description = "Serve TLS on both ports with this certificate (PEM); with --tls-key." };
        var tlsKey = new Option<string?>("--tls-key") { Description = "The private key (PEM) of --tls-cert." };
        var clientCa = new Option<string?>("--client-ca") { Description = "Require client certificates issued by these authorities (PEM); with --tls-cert." };
        OptionRules.Port(tcpPort, allowOff: true);
        OptionRules.Port(grpcPort, allowOff: true);
        OptionRules.Port(metricsPort, allowOff: true);
        OptionRules.AtLeast(delayMs, 0);

        var command = new Command("serve", "Host the Greeter on both transports; prints {\"native\":...,\"grpc\":...} on stdout when ready.")
        {
            host, tcpPort, grpcPort, metricsPort, telemetry, delayMs, plainGrpc, capacity, registry, loadWindow, registryTokenFile, registryCa, tlsCert, tlsKey, clientCa,
        };
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, cancellationToken, io =>
        {
            var settings = new GreeterHostSettings
            {
                Host = parseResult.GetValue(host)!,
                TcpPort = parseResult.GetValue(tcpPort),
                GrpcPort = parseResult.GetValue(grpcPort),
                Delay = TimeSpan.FromMilliseconds(parseResult.GetValue(delayMs)),
                Capacity = parseResult.GetValue(capacity),
                Registry = parseResult.GetValue(registry),
                LoadWindow = parseResult.GetValue(loadWindow),
                MetricsPort = parseResult.GetValue(metricsPort),
                Telemetry = parseResult.GetValue(telemetry),
                RegistryTokenFile = parseResult.GetValue(registryTokenFile),
                RegistryCa = parseResult.GetValue(registryCa),
                TlsCertificate = parseResult.GetValue(tlsCert),
                TlsKey = parseResult.GetValue(tlsKey),
                ClientCa = parseResult.GetValue(clientCa),
            };
            return RunAsync(settings, parseResult.GetValue(plainGrpc), io);
        }));
        return command;
    }

    /// <summary>Serves until cancelled or told to stop; returns the exit code.</summary>
    public static async Task<int> RunAsync(GreeterHostSettings settings, bool plainGrpc, CommandIO io)
    {
        if (plainGrpc && settings.GrpcPort < 0)
        {
            throw new UsageException("--plain-grpc needs a gRPC port (--grpc-port 0 picks a free one).");
        }
        if (plainGrpc && settings.MetricsPort >= 0)
        {
            throw new UsageException("--plain-grpc serves no Shoal metrics; leave out --metrics-port.");
        }
        if ((settings.TlsCertificate is null) != (settings.TlsKey is null) || (settings.ClientCa is not null && settings.TlsCertificate is null))
        {
            throw new UsageException("--tls-cert and --tls-key go together, and --client-ca needs them.");
        }
        if ((settings.RegistryTokenFile is not null || settings.RegistryCa is not null) && settings.Registry is null)
        {
            throw new UsageException("--registry-token-file and --registry-ca go with --registry.");
        }
        if (!plainGrpc && settings.GrpcPort < 0 && settings.TcpPort < 0)
        {
            throw new UsageException("Both transports are off (--tcp-port -1 and --grpc-port -1); nothing to serve.");
        }

        var host = plainGrpc
            ? await GreeterHost.StartPlainGrpcAsync(settings, io.Cancellation).ConfigureAwait(false)
            : await GreeterHost.StartShoalAsync(settings, io.Cancellation).ConfigureAwait(false);
        await using (host.ConfigureAwait(false))
        {
            var ready = new ServeReady(host.Native?.ToString().TrimEnd('/'), host.Grpc?.ToString().TrimEnd('/'), plainGrpc ? "grpc-dotnet" : "shoal", Environment.ProcessId)
            {
                Metrics = host.Metrics?.ToString().TrimEnd('/'),
            };
            await io.Output.WriteLineAsync(JsonSerializer.Serialize(ready, CliJsonContext.Default.ServeReady)).ConfigureAwait(false);
            await io.Output.FlushAsync(CancellationToken.None).ConfigureAwait(false);

            // Returns once the host is stopping (it handles SIGTERM itself too) or the token is cancelled;
            // either way the host then stops gracefully, letting calls in flight finish.
            await host.WaitForShutdownAsync(io.Cancellation).ConfigureAwait(false);
        }
        await io.Error.WriteLineAsync("shoal serve: stopped").ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
