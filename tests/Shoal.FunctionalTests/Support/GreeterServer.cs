using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Shoal.FunctionalTests.Support;

/// <summary>One Greeter.Server process registered in a registry: its addresses, instance id and when it registered.</summary>
public sealed partial class GreeterServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(40);

    private GreeterServer(ChildProcess process, string native, string instanceId, long registeredAt)
    {
        Process = process;
        Native = native;
        InstanceId = instanceId;
        RegisteredAt = registeredAt;
    }

    /// <summary>The process.</summary>
    public ChildProcess Process { get; }

    /// <summary>The native address, such as <c>shoal://127.0.0.1:41234</c>.</summary>
    public string Native { get; }

    /// <summary>The id it registered with (the <c>x-instance-id</c> trailer of its replies).</summary>
    public string InstanceId { get; }

    /// <summary>The <see cref="Stopwatch"/> timestamp at which the server said it had registered.</summary>
    public long RegisteredAt { get; }

    /// <summary>Starts a server on free loopback ports, registered with <paramref name="registry"/>, and waits until it has registered.</summary>
    public static async Task<GreeterServer> StartAsync(string registry, params string[] extraArgs)
    {
        var process = ChildProcess.StartDotnet("Greeter.Server", Binaries.GreeterServer,
            ["--tcp-port", "0", "--grpc-port", "0", "--registry", registry, "--Logging:LogLevel:Default=Warning", .. extraArgs]);
        try
        {
            var listening = await process.WaitForLineAsync(ListeningLine(), StartTimeout).ConfigureAwait(false);
            var registered = await process.WaitForLineAsync(RegisteredLine(), StartTimeout).ConfigureAwait(false);
            return new GreeterServer(process, listening.Groups["native"].Value, registered.Groups["id"].Value, Stopwatch.GetTimestamp());
        }
        catch
        {
            await process.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => Process.DisposeAsync();

    /// <inheritdoc/>
    public override string ToString() => $"{InstanceId} ({Native})";

    [GeneratedRegex(@"Greeter listening: native (?<native>\S+), grpc")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"Greeter instance: (?<id>\S+) registered with")]
    private static partial Regex RegisteredLine();
}
