using Grpc.Core;
using Grpc.Core.Interceptors;
using Shoal.Connections;

namespace Shoal.FunctionalTests.Support;

/// <summary>Wraps a connection factory so every connection's calls pass through an <see cref="AttemptCounter"/>.</summary>
public sealed class CountingConnectionFactory(IConnectionFactory inner, AttemptCounter counter) : IConnectionFactory
{
    /// <inheritdoc/>
    public bool Supports(string scheme) => inner.Supports(scheme);

    /// <inheritdoc/>
    public IConnection Create(Uri address) => new CountingConnection(inner.Create(address), counter.For(address));

    private sealed class CountingConnection : IConnection
    {
        private readonly IConnection _inner;
        private readonly System.Runtime.CompilerServices.ConditionalWeakTable<Action<IConnection, ConnectionState>, Action<IConnection, ConnectionState>> _handlers = [];

        public CountingConnection(IConnection inner, Interceptor interceptor)
        {
            _inner = inner;
            Invoker = inner.Invoker.Intercept(interceptor);
        }

        public Uri Address => _inner.Address;

        public ConnectionState State => _inner.State;

        public event Action<IConnection, ConnectionState>? StateChanged
        {
            // The cluster sees the wrapper as the sender.
            add => _inner.StateChanged += Forward(value);
            remove => _inner.StateChanged -= Forward(value);
        }

        public CallInvoker Invoker { get; }

        public ValueTask ConnectAsync(CancellationToken cancellationToken = default) => _inner.ConnectAsync(cancellationToken);

        public ValueTask DisposeAsync() => _inner.DisposeAsync();

        private Action<IConnection, ConnectionState>? Forward(Action<IConnection, ConnectionState>? handler)
            => handler is null ? null : _handlers.GetValue(handler, h => (_, state) => h(this, state));
    }
}
