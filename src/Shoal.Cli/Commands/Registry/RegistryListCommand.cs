using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Shoal.Cli.Commands.Call;
using Shoal.Cli.Hosting;
using Shoal.Client.Discovery.Embedded.Protocol;
using Shoal.Targets;

namespace Shoal.Cli.Commands.Registry;

/// <summary>
/// <c>shoal registry list [SERVICE]</c>: what an embedded registry holds. Without a service, every
/// service with its instance count; with one, its instances: id, addresses, zone and lease TTL.
/// </summary>
internal static class RegistryListCommand
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var service = new Argument<string?>("service") { Description = "The service whose instances to list; none lists every service.", Arity = ArgumentArity.ZeroOrOne };
        var registry = new Option<string>("--registry") { Description = "The embedded registry, registry://host:port.", DefaultValueFactory = _ => "registry://127.0.0.1:7070" };
        var json = new Option<bool>("--json") { Description = "Print one JSON document." };
        var tokenFile = new Option<string?>("--registry-token-file") { Description = "A file holding the registry members' token (a registry started with --token-file)." };
        var command = new Command("list", "List the services an embedded registry holds, or one service's instances with their zone and lease TTL.")
        {
            service, registry, json, tokenFile,
        };
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, cancellationToken,
            io => RunAsync(parseResult.GetValue(registry)!, parseResult.GetValue(service), parseResult.GetValue(json), parseResult.GetValue(tokenFile), io)));
        return command;
    }

    private static async Task<int> RunAsync(string registry, string? service, bool json, string? tokenFile, CommandIO io)
    {
        var headers = new Metadata();
        if (tokenFile is not null)
        {
            if (!Shoal.Client.Discovery.Embedded.RegistryToken.TryRead(tokenFile, out var token, out var error))
            {
                throw new UsageException($"--registry-token-file: {error}");
            }
            headers.Add("authorization", "Bearer " + token);
        }

        const string Scheme = "registry://";
        var authority = registry.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? registry[Scheme.Length..].TrimEnd('/') : "";
        if (!ShoalTarget.TrySplitHostPort(authority, out _, out _))
        {
            throw new UsageException($"--registry '{registry}' is not an embedded registry address; expected registry://host:port.");
        }
        var address = Scheme + authority;
        var channel = ChannelFactory.CreateShoal("shoal://" + authority);
        ListLeasesResponse response;
        await using (channel.ConfigureAwait(false))
        {
            try
            {
                response = await new RegistryService.RegistryServiceClient(channel)
                    .ListLeasesAsync(new ListLeasesRequest { Service = service ?? "" }, headers, deadline: DateTime.UtcNow + CallTimeout, cancellationToken: io.Cancellation)
                    .ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && !io.Cancellation.IsCancellationRequested)
            {
                var reason = await UnavailableDiagnosis.ProbeAsync(authority, io.Cancellation).ConfigureAwait(false);
                if (reason is null)
                {
                    throw;
                }
                throw new InvalidOperationException($"registry {address} unreachable: {reason}");
            }
        }
        var text = service is null ? Services(address, response, json) : Instances(address, service, response, json);
        await io.Output.WriteAsync(text).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static string Services(string address, ListLeasesResponse response, bool json)
    {
        var counts = response.Leases
            .SelectMany(lease => lease.Instance.Services)
            .GroupBy(name => name, StringComparer.Ordinal)
            .OrderBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => (Service: group.Key, Instances: group.Count()))
            .ToList();
        if (!json)
        {
            return counts.Count == 0
                ? $"no services in {address}\n"
                : string.Concat(counts.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Service}\t{c.Instances} instance{(c.Instances == 1 ? "" : "s")}\n")));
        }
        return Json(writer =>
        {
            writer.WriteString("registry", address);
            writer.WriteStartArray("services");
            foreach (var (name, instances) in counts)
            {
                writer.WriteStartObject();
                writer.WriteString("service", name);
                writer.WriteNumber("instances", instances);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        });
    }

    private static string Instances(string address, string service, ListLeasesResponse response, bool json)
    {
        if (!json)
        {
            if (response.Leases.Count == 0)
            {
                return $"no instances of {service} in {address}\n";
            }
            var lines = new StringBuilder();
            foreach (var lease in response.Leases)
            {
                var addresses = string.Join(" ", lease.Instance.Addresses.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => a.Value));
                var zone = lease.Instance.Zone.Length == 0 ? "-" : lease.Instance.Zone;
                lines.Append(CultureInfo.InvariantCulture, $"{lease.Instance.InstanceId}\t{addresses}\tzone {zone}\tlease TTL {DurationParser.Format(TimeSpan.FromMilliseconds(lease.TtlMs))} ({DurationParser.Format(TimeSpan.FromMilliseconds(lease.RemainingMs))} left)\n");
            }
            return lines.ToString();
        }
        return Json(writer =>
        {
            writer.WriteString("registry", address);
            writer.WriteString("service", service);
            writer.WriteStartArray("instances");
            foreach (var lease in response.Leases)
            {
                writer.WriteStartObject();
                writer.WriteString("id", lease.Instance.InstanceId);
                writer.WriteStartObject("addresses");
                foreach (var (transport, uri) in lease.Instance.Addresses.OrderBy(a => a.Key, StringComparer.Ordinal))
                {
                    writer.WriteString(transport, uri);
                }
                writer.WriteEndObject();
                writer.WriteString("zone", lease.Instance.Zone);
                writer.WriteNumber("lease_ttl_ms", lease.TtlMs);
                writer.WriteNumber("lease_remaining_ms", lease.RemainingMs);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        });
    }

    private static string Json(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
