using Grpc.Core;

namespace Shoal.Hosting.Client;

/// <summary>
/// A channel for any Shoal target: <c>shoal://host:port</c> (native protocol), <c>http(s)://host:port</c>
/// (gRPC), and cluster targets once their resolvers are registered. Hand it, or the invoker it
/// creates, to a generated client: <c>new Greeter.GreeterClient(channel)</c>.
/// </summary>
public sealed class ShoalChannel : ChannelBase, IAsyncDisposable
{
    private ShoalChannel(string target) : base(target) => throw new NotImplementedException();

    /// <summary>Creates a channel for <paramref name="target"/>; throws <see cref="FormatException"/> for a malformed target.</summary>
    public static ShoalChannel ForTarget(string target, ShoalChannelOptions? options = null) => throw new NotImplementedException();

    /// <inheritdoc/>
    public override CallInvoker CreateCallInvoker() => throw new NotImplementedException();

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => throw new NotImplementedException();
}
