using System.Collections.Concurrent;
using Shoal.Connections;

namespace Shoal.Cluster.Tests.Fakes;

/// <summary>Creates <see cref="FakeConnection"/>s for the schemes it is given, all sharing one call handler.</summary>
public sealed class FakeConnectionFactory : IConnectionFactory
{
    private readonly string[] _schemes;

    public FakeConnectionFactory(params string[] schemes)
    {
        _schemes = schemes.Length == 0 ? ["shoal", "http"] : schemes;
    }

    /// <summary>Every connection created, by address (the latest for an address).</summary>
    public ConcurrentDictionary<Uri, FakeConnection> Connections { get; } = new();

    /// <summary>Every connection created, in order.</summary>
    public ConcurrentQueue<FakeConnection> Created { get; } = new();

    /// <summary>Answers every call on every connection; by default echoes "ok from {address}".</summary>
    public Func<TestCall, Task<object>> Handler { get; set; } = call => Task.FromResult<object>($"ok from {call.Address}");

    public bool ReadyOnConnect { get; set; } = true;

    /// <summary>Connections made from now on report unary calls to an observer themselves, as the native transport does.</summary>
    public bool Observing { get; set; }

    public bool Supports(string scheme) => _schemes.Contains(scheme, StringComparer.OrdinalIgnoreCase);

    public IConnection Create(Uri address)
    {
        var connection = new FakeConnection(address, new TestCallInvoker(address, call => Handler(call)), ReadyOnConnect, observing: Observing);
        Connections[address] = connection;
        Created.Enqueue(connection);
        return connection;
    }

    public FakeConnection this[string address] => Connections[new Uri(address)];
}
