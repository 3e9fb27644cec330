using System.CommandLine;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shoal.Server.Dashboard;

namespace Shoal.Cli.Commands.Dashboard;

/// <summary>
/// <c>shoal dashboard --registry registry://host:port [--port P]</c>: a web page on 127.0.0.1 that
/// shows an embedded registry's services and instances with their live load and its autoscalers: a thin
/// shell over <see cref="ShoalDashboardEndpointRouteBuilderExtensions.MapShoalDashboard"/>. Prints
/// <c>dashboard: http://127.0.0.1:port/</c> as one line on stdout when ready; stops on SIGTERM or SIGINT.
/// </summary>
internal static class DashboardCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var registry = new Option<string>("--registry") { Description = "The embedded registry, registry://host:port.", DefaultValueFactory = _ => "registry://127.0.0.1:7070" };
        var port = new Option<int>("--port") { Description = "The HTTP port on 127.0.0.1 (0: a free port).", DefaultValueFactory = _ => 7080 };
        var tokenFile = new Option<string?>("--registry-token-file") { Description = "A file holding the registry members' token (a registry started with --token-file)." };
        OptionRules.Port(port, allowOff: false);
        var command = new Command("dashboard", "Serve a live web page of an embedded registry's services, instances and their load; prints its URL when ready.")
        {
            registry, port, tokenFile,
        };
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, cancellationToken,
            io => RunAsync(parseResult.GetValue(registry)!, parseResult.GetValue(port), parseResult.GetValue(tokenFile), io)));
        return command;
    }

    private static async Task<int> RunAsync(string registry, int port, string? tokenFile, CommandIO io)
    {
        string? token = null;
        if (tokenFile is not null && !Shoal.Client.Discovery.Embedded.RegistryToken.TryRead(tokenFile, out token, out var tokenError))
        {
            throw new UsageException($"--registry-token-file: {tokenError}");
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http1));

        var app = builder.Build();
        await using (app.ConfigureAwait(false))
        {
            try
            {
                app.MapShoalDashboard("/", o =>
                {
                    o.Registry = registry;
                    o.RegistryToken = token;
                });
            }
            catch (ArgumentException)
            {
                throw new UsageException($"--registry '{registry}' is not an embedded registry address; expected registry://host:port.");
            }
            try
            {
                await app.StartAsync(io.Cancellation).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw new InvalidOperationException($"The dashboard cannot listen on 127.0.0.1:{port}: {ex.Message}", ex);
            }
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                ?? throw new InvalidOperationException("The dashboard has no address.");
            await io.Output.WriteLineAsync($"dashboard: {address.TrimEnd('/')}/").ConfigureAwait(false);
            await io.Output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                await app.WaitForShutdownAsync(io.Cancellation).ConfigureAwait(false);
            }
            finally
            {
                await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        await io.Error.WriteLineAsync("shoal dashboard: stopped").ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
