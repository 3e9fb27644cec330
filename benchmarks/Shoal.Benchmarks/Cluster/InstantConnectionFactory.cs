using Shoal.Connections;

namespace Shoal.Benchmarks.Cluster;

/// <summary>Creates <see cref="InstantConnection"/>s that all answer with one reply.</summary>
internal sealed class InstantConnectionFactory(object reply) : IConnectionFactory
{
    /// <summary>The connection created last.</summary>
    public InstantConnection? Last { get; private set; }

    public bool Supports(string scheme) => scheme == "shoal";

    public IConnection Create(Uri address) => Last = new InstantConnection(address, new InstantCallInvoker(reply));
}
