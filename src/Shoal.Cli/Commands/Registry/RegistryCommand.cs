using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shoal.Server;
using Shoal.Server.Registry;

namespace Shoal.Cli.Commands.Registry;

/// <summary>
/// <c>shoal registry</c>: runs the embedded registry (a Shoal host serving
/// <c>shoal.registry.v1.RegistryService</c> on the native port and on gRPC), prints its address
/// (<c>registry://host:port</c>) as one line on stdout when ready, and stops on SIGTERM or SIGINT.
/// </summary>
public static class RegistryCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var host = new Option<string>("--host") { Description = "The address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "The native protocol port servers and clients use (0: a free port).", DefaultValueFactory = _ => 7070 };
        var grpcPort = new Option<int>("--grpc-port") { Description = "The gRPC (HTTP/2) port (0: a free port, -1: off).", DefaultValueFactory = _ => -1 };
        var metricsPort = new Option<int>("--metrics-port") { Description = "Serve Prometheus metrics (/metrics) and probes (/healthz, /readyz) over HTTP/1.1 on this port (0: a free port; default off).", DefaultValueFactory = _ => -1 };
        var tokenFile = new Option<string?>("--token-file") { Description = "A file holding the members' token: every call must send 'authorization: Bearer <token>'." };
        var tlsCert = new Option<string?>("--tls-cert") { Description = "Serve TLS with this certificate (PEM); with --tls-key." };
        var tlsKey = new Option<string?>("--tls-key") { Description = "The private key (PEM) of --tls-cert." };
        var insecure = new Option<bool>("--insecure") { Description = "Listen on a non-loopback --host without --token-file (a trusted network only: anyone who reaches it can register)." };
        OptionRules.Port(port, allowOff: false);
        OptionRules.Port(metricsPort, allowOff: true);
        OptionRules.Port(grpcPort, allowOff: true);

        var command = new Command("registry", "Run the embedded registry; prints registry://host:port on stdout when ready.")
        {
            host, port, grpcPort, metricsPort, tokenFile, tlsCert, tlsKey, insecure,
        };
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, cancellationToken, io =>
        {
            var access = new RegistryAccessSettings(parseResult.GetValue(tokenFile), parseResult.GetValue(tlsCert), parseResult.GetValue(tlsKey), parseResult.GetValue(insecure));
            return RunAsync(parseResult.GetValue(host)!, parseResult.GetValue(port), parseResult.GetValue(grpcPort), parseResult.GetValue(metricsPort), access.Checked(parseResult.GetValue(host)!), io);
        }));
        command.Subcommands.Add(RegistryListCommand.Build());
        return command;
    }

    private static async Task<int> RunAsync(string host, int port, int grpcPort, int metricsPort, RegistryAccessSettings access, CommandIO io)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // stdout carries the address line only; warnings and errors go to stderr.
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // A port in use ends with the command's one error line, not the host's stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.AddShoalServer(o =>
        {
            o.Host = host;
            o.TcpPort = port;
            o.GrpcPort = grpcPort;
            o.MetricsPort = metricsPort;
            o.ShutdownGracePeriod = TimeSpan.FromSeconds(2);
            o.Tls.CertificatePath = access.TlsCertificate;
            o.Tls.KeyPath = access.TlsKey;
        }).AddEmbeddedRegistry();
        builder.Services.Configure<EmbeddedRegistryOptions>(o =>
        {
            o.TokenFile = access.TokenFile;
            o.AllowUnauthenticated = access.Insecure;
        });

        var app = builder.Build();
        await using (app.ConfigureAwait(false))
        {
            app.MapShoalServices();
            try
            {
                await app.StartAsync(io.Cancellation).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw new InvalidOperationException($"The registry cannot listen on {host}:{port}: {ex.Message}", ex);
            }
            var addresses = app.GetShoalAddresses();
            var native = addresses.Native ?? throw new InvalidOperationException("The registry has no native address.");
            await io.Output.WriteLineAsync($"registry://{native.Authority}").ConfigureAwait(false);
            await io.Output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            if (addresses.GrpcTarget is { } grpc)
            {
                await io.Error.WriteLineAsync($"shoal registry: gRPC on {grpc}").ConfigureAwait(false);
            }
            if (addresses.Metrics is { } metrics)
            {
                await io.Error.WriteLineAsync($"shoal registry: metrics on {metrics.GetLeftPart(UriPartial.Authority)}/metrics").ConfigureAwait(false);
            }
            try
            {
                await app.WaitForShutdownAsync(io.Cancellation).ConfigureAwait(false);
            }
            finally
            {
                await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        await io.Error.WriteLineAsync("shoal registry: stopped").ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
