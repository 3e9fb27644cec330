using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Shoal.FunctionalTests.Support;

/// <summary>
/// Counts the attempts the cluster client sends to each address (it sits on each connection, below
/// the load balancer and the retries), so a test sees calls to an instance that never answered.
/// </summary>
public sealed class AttemptCounter : Interceptor
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> _counts = new(StringComparer.Ordinal);

    /// <summary>Attempts sent to <paramref name="address"/> so far (<c>shoal://127.0.0.1:port</c>).</summary>
    public long CountFor(string address)
        => _counts.TryGetValue(Normalize(address), out var box) ? Interlocked.Read(ref box.Value) : 0;

    /// <summary>An interceptor that counts attempts on the connection to <paramref name="address"/>.</summary>
    public Interceptor For(Uri address) => new PerAddress(_counts.GetOrAdd(Normalize(address.ToString()), _ => new StrongBox<long>()));

    private static string Normalize(string address) => address.TrimEnd('/');

    private sealed class PerAddress(StrongBox<long> count) : Interceptor
    {
        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
        {
            Interlocked.Increment(ref count.Value);
            return continuation(request, context);
        }
    }
}
