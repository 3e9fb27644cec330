using System.Net.Sockets;
using Grpc.Core;
using Shoal.Targets;

namespace Shoal.Cli.Commands.Call;

/// <summary>
/// Says why a call ended <see cref="StatusCode.Unavailable"/>, which the channel reports the same way
/// for a server that refuses connections, a registry that cannot be reached and a service without
/// instances: one TCP connect to the address at fault (bounded) tells them apart.
/// </summary>
internal static class UnavailableDiagnosis
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The status to report for <paramref name="status"/> of a call to <paramref name="target"/>: the same code, a clearer detail.</summary>
    public static async Task<Status> ExplainAsync(ShoalTarget target, Status status, CancellationToken cancellationToken)
    {
        if (status.StatusCode != StatusCode.Unavailable || target.Hosts.IsDefaultOrEmpty)
        {
            return status;
        }
        if (target.IsDirect)
        {
            var reason = await ProbeAsync(target.Hosts[0], cancellationToken).ConfigureAwait(false);
            return reason is null ? status : new Status(StatusCode.Unavailable, $"{reason} by {target.Hosts[0]} ({target.Original})");
        }
        if (target.Scheme is not ("registry" or "etcd"))
        {
            return status;
        }
        var registry = $"{target.Scheme}://{target.Authority}";
        string? firstReason = null;
        foreach (var address in target.Hosts)
        {
            var reason = await ProbeAsync(address, cancellationToken).ConfigureAwait(false);
            if (reason is null)
            {
                // One member answers: the registry is there, the service has no instance in it.
                return new Status(StatusCode.Unavailable, $"service {target.Path.Trim('/')} has no instances in registry {registry} ({status.Detail})");
            }
            firstReason ??= reason;
        }
        return new Status(StatusCode.Unavailable, $"registry {registry} unreachable: {firstReason}");
    }

    /// <summary>Why <paramref name="address"/> does not accept a TCP connection (<c>connection refused</c>, ...); null when it does.</summary>
    public static async Task<string?> ProbeAsync(string address, CancellationToken cancellationToken)
    {
        if (!ShoalTarget.TrySplitHostPort(address, out var host, out var port))
        {
            return null;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
            return null;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode == SocketError.ConnectionRefused ? "connection refused" : e.Message;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer to a TCP connect within {ProbeTimeout.TotalSeconds:0} s";
        }
    }
}
