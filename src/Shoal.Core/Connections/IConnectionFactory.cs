namespace Shoal.Connections;

/// <summary>Creates connections for the address schemes of one transport.</summary>
public interface IConnectionFactory
{
    /// <summary>Whether this factory dials addresses of <paramref name="scheme"/> (<c>shoal</c>, <c>http</c>, <c>https</c>).</summary>
    bool Supports(string scheme);

    /// <summary>Creates a connection in the <see cref="ConnectionState.Idle"/> state; it dials on first use or on <see cref="IConnection.ConnectAsync"/>.</summary>
    IConnection Create(Uri address);
}
