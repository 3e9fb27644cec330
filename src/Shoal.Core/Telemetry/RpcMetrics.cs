using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;
using Shoal.Telemetry.Internal;

namespace Shoal.Telemetry;

/// <summary>
/// Shoal's RPC instruments on the <see cref="ShoalTelemetry.Meter"/>, named after the OpenTelemetry
/// RPC semantic conventions: <c>rpc.server.duration</c> and <c>rpc.client.duration</c> (ms),
/// <c>rpc.server.active_requests</c> and <c>rpc.client.active_requests</c> (calls in flight), and the
/// request and response sizes (<c>rpc.{server,client}.{request,response}.size</c>, bytes), tagged
/// <c>rpc.system</c>, <c>rpc.service</c>, <c>rpc.method</c>, <c>shoal.transport</c> and, once the call
/// ended, <c>rpc.grpc.status_code</c>. Transports call it; every method returns at once while no
/// listener enabled the instrument (<see cref="Instrument.Enabled"/>).
/// </summary>
public static class RpcMetrics
{
    /// <summary>The <c>shoal.transport</c> of the native protocol.</summary>
    public const string Native = "native";

    /// <summary>The <c>shoal.transport</c> of gRPC over HTTP/2.</summary>
    public const string Grpc = "grpc";

    // Finer than the SDK's default buckets at the low end: a loopback call takes well under 1 ms.
    private static readonly double[] DurationBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];
    private static readonly long[] SizeBuckets = [0, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304];

    private static readonly Histogram<double> ServerDuration = Duration("rpc.server.duration", "How long the server took to handle a call, from its start to its status.");
    private static readonly Histogram<double> ClientDuration = Duration("rpc.client.duration", "How long a client call took, from its start to its status (all attempts of a cluster call).");
    private static readonly UpDownCounter<long> ServerActive = ShoalTelemetry.Meter.CreateUpDownCounter<long>("rpc.server.active_requests", "{call}", "Calls the server is handling.");
    private static readonly UpDownCounter<long> ClientActive = ShoalTelemetry.Meter.CreateUpDownCounter<long>("rpc.client.active_requests", "{call}", "Client calls in flight.");
    private static readonly Histogram<long> ServerRequestSize = Size("rpc.server.request.size", "The size of a unary request the server received.");
    private static readonly Histogram<long> ServerResponseSize = Size("rpc.server.response.size", "The size of a unary response the server sent.");
    private static readonly Histogram<long> ClientRequestSize = Size("rpc.client.request.size", "The size of a unary request a client sent.");
    private static readonly Histogram<long> ClientResponseSize = Size("rpc.client.response.size", "The size of a unary response a client received.");

    /// <summary>Whether anything records server calls: false costs the transports nothing more.</summary>
    public static bool ServerEnabled => ServerDuration.Enabled || ServerActive.Enabled || ServerRequestSize.Enabled || ServerResponseSize.Enabled;

    /// <summary>Whether anything records client calls.</summary>
    public static bool ClientEnabled => ClientDuration.Enabled || ClientActive.Enabled || ClientRequestSize.Enabled || ClientResponseSize.Enabled;

    /// <summary>A server call of <paramref name="fullMethod"/> started.</summary>
    /// <param name="fullMethod">The method's full name, <c>/package.Service/Method</c>.</param>
    /// <param name="transport"><see cref="Native"/> or <see cref="Grpc"/>.</param>
    /// <returns>The token to hand to <see cref="ServerCompleted"/>; 0 when nothing records.</returns>
    public static long ServerStarted(string fullMethod, string transport) => Started(ServerActive, ServerDuration, fullMethod, transport);

    /// <summary>A server call ended with <paramref name="code"/>.</summary>
    /// <param name="token">What <see cref="ServerStarted"/> returned.</param>
    /// <param name="fullMethod">The method's full name.</param>
    /// <param name="transport"><see cref="Native"/> or <see cref="Grpc"/>.</param>
    /// <param name="code">The call's status code.</param>
    public static void ServerCompleted(long token, string fullMethod, string transport, StatusCode code) => Completed(ServerActive, ServerDuration, token, fullMethod, transport, code);

    /// <summary>A client call of <paramref name="fullMethod"/> started.</summary>
    /// <param name="fullMethod">The method's full name.</param>
    /// <param name="transport"><see cref="Native"/>, <see cref="Grpc"/>, or <c>cluster</c> for a call whose attempts choose.</param>
    /// <returns>The token to hand to <see cref="ClientCompleted"/>; 0 when nothing records.</returns>
    public static long ClientStarted(string fullMethod, string transport) => Started(ClientActive, ClientDuration, fullMethod, transport);

    /// <summary>A client call ended with <paramref name="code"/>.</summary>
    /// <param name="token">What <see cref="ClientStarted"/> returned.</param>
    /// <param name="fullMethod">The method's full name.</param>
    /// <param name="transport">As given to <see cref="ClientStarted"/>.</param>
    /// <param name="code">The call's status code.</param>
    public static void ClientCompleted(long token, string fullMethod, string transport, StatusCode code) => Completed(ClientActive, ClientDuration, token, fullMethod, transport, code);

    /// <summary>Records a unary message's size on the server.</summary>
    /// <param name="fullMethod">The method's full name.</param>
    /// <param name="transport">The transport.</param>
    /// <param name="request">True for the request, false for the response.</param>
    /// <param name="bytes">The serialized size.</param>
    public static void ServerMessage(string fullMethod, string transport, bool request, long bytes) => RecordSize(request ? ServerRequestSize : ServerResponseSize, fullMethod, transport, bytes);

    /// <summary>Records a unary message's size on the client.</summary>
    /// <param name="fullMethod">The method's full name.</param>
    /// <param name="transport">The transport.</param>
    /// <param name="request">True for the request, false for the response.</param>
    /// <param name="bytes">The serialized size.</param>
    public static void ClientMessage(string fullMethod, string transport, bool request, long bytes) => RecordSize(request ? ClientRequestSize : ClientResponseSize, fullMethod, transport, bytes);

    /// <summary>Whether a size recorded now would be kept (measure the message only then).</summary>
    /// <param name="server">The server's instruments, else the client's.</param>
    /// <param name="request">The request's, else the response's.</param>
    /// <returns>True when a listener records that size.</returns>
    public static bool SizeEnabled(bool server, bool request) => (server ? (request ? ServerRequestSize : ServerResponseSize) : (request ? ClientRequestSize : ClientResponseSize)).Enabled;

    private static long Started(UpDownCounter<long> active, Histogram<double> duration, string fullMethod, string transport)
    {
        if (!active.Enabled && !duration.Enabled)
        {
            return 0;
        }
        if (active.Enabled)
        {
            var tags = MethodTags.Of(fullMethod, transport);
            active.Add(1, tags);
        }
        // 0 means "not recorded", so a (theoretical) zero timestamp is nudged to 1.
        return Math.Max(1, Stopwatch.GetTimestamp());
    }

    private static void Completed(UpDownCounter<long> active, Histogram<double> duration, long token, string fullMethod, string transport, StatusCode code)
    {
        if (token == 0)
        {
            return;
        }
        var tags = MethodTags.Of(fullMethod, transport);
        if (active.Enabled)
        {
            active.Add(-1, tags);
        }
        if (duration.Enabled)
        {
            tags.Add("rpc.grpc.status_code", MethodTags.Boxed(code));
            duration.Record(Stopwatch.GetElapsedTime(token).TotalMilliseconds, tags);
        }
    }

    private static void RecordSize(Histogram<long> size, string fullMethod, string transport, long bytes)
    {
        if (size.Enabled)
        {
            size.Record(bytes, MethodTags.Of(fullMethod, transport));
        }
    }

    private static Histogram<double> Duration(string name, string description)
        => ShoalTelemetry.Meter.CreateHistogram(name, "ms", description, tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    private static Histogram<long> Size(string name, string description)
        => ShoalTelemetry.Meter.CreateHistogram(name, "By", description, tags: null, new InstrumentAdvice<long> { HistogramBucketBoundaries = SizeBuckets });
}
