using Shoal.Connections;

namespace Shoal.Transport.Native;

/// <summary>Dials <c>shoal://host:port</c> addresses.</summary>
public sealed class NativeConnectionFactory : IConnectionFactory
{
    /// <summary>Creates a factory whose connections use <paramref name="options"/> (defaults when null).</summary>
    public NativeConnectionFactory(NativeClientOptions? options = null) => throw new NotImplementedException();

    /// <inheritdoc/>
    public bool Supports(string scheme) => scheme == "shoal";

    /// <inheritdoc/>
    public IConnection Create(Uri address) => throw new NotImplementedException();
}
