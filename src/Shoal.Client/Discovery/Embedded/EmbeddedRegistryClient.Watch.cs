using Grpc.Core;
using Shoal.Client.Discovery.Embedded.Protocol;
using Shoal.Client.Discovery.Internal;

namespace Shoal.Client.Discovery.Embedded;

/// <content>One watch stream: a full set, then deltas, each turned into the next full set.</content>
public sealed partial class EmbeddedRegistryClient
{
    private async Task StreamAsync(string service, WatchState state, WatchSink sink, CancellationToken cancellationToken)
    {
        try
        {
            using var call = _client.Watch(new WatchRequest { Service = service, Deltas = true }, cancellationToken: cancellationToken);
            while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                sink.Emit(state.Apply(call.ResponseStream.Current));
            }
        }
        catch (Exception)
        {
            // The next stream starts with a full set; until then keep what was seen for the merge.
            state.StreamBroken();
            throw;
        }
        state.StreamBroken();
        // A stream that ends without an error means the registry is stopping.
        throw new RpcException(new Status(StatusCode.Unavailable, "The registry ended the watch stream."));
    }
}
