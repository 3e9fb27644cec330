using Grpc.Core;
using Shoal.Client.Grpc;
using Shoal.Connections;

namespace Shoal.Transport.Grpc.Tests;

public sealed class GrpcConnectionFactoryTests
{
    [Theory]
    [InlineData("http", true)]
    [InlineData("https", true)]
    [InlineData("shoal", false)]
    [InlineData("etcd", false)]
    public void Supports_Scheme_OnlyHttpAndHttps(string scheme, bool expected)
    {
        Assert.Equal(expected, new GrpcConnectionFactory().Supports(scheme));
    }

    [Fact]
    public void Create_ShoalAddress_ThrowsNamingTheAddress()
    {
        var error = Assert.Throws<ArgumentException>(() => new GrpcConnectionFactory().Create(new Uri("shoal://127.0.0.1:7000")));

        Assert.Contains("shoal://127.0.0.1:7000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_HttpAddress_IsIdleUntilUsed()
    {
        await using var connection = new GrpcConnectionFactory().Create(new Uri("http://127.0.0.1:1"));

        Assert.Equal(ConnectionState.Idle, connection.State);
        Assert.Equal(new Uri("http://127.0.0.1:1"), connection.Address);
    }

    [Theory]
    [InlineData(ConnectivityState.Idle, ConnectionState.Idle)]
    [InlineData(ConnectivityState.Connecting, ConnectionState.Connecting)]
    [InlineData(ConnectivityState.Ready, ConnectionState.Ready)]
    [InlineData(ConnectivityState.TransientFailure, ConnectionState.TransientFailure)]
    [InlineData(ConnectivityState.Shutdown, ConnectionState.Shutdown)]
    public void Map_GrpcConnectivityState_IsTheShoalState(ConnectivityState grpc, ConnectionState shoal)
    {
        Assert.Equal(shoal, GrpcConnection.Map(grpc));
    }

    [Fact]
    public void CreateHandler_Options_SetKeepAliveTimeoutsAndMultipleConnections()
    {
        var options = new GrpcClientOptions
        {
            KeepAliveInterval = TimeSpan.FromSeconds(7),
            KeepAliveTimeout = TimeSpan.FromSeconds(3),
            ConnectTimeout = TimeSpan.FromSeconds(2),
        };

        using var handler = GrpcConnectionFactory.CreateHandler(options);

        Assert.True(handler.EnableMultipleHttp2Connections);
        Assert.Equal(TimeSpan.FromSeconds(7), handler.KeepAlivePingDelay);
        Assert.Equal(TimeSpan.FromSeconds(3), handler.KeepAlivePingTimeout);
        Assert.Equal(System.Net.Http.HttpKeepAlivePingPolicy.Always, handler.KeepAlivePingPolicy);
        Assert.Equal(TimeSpan.FromSeconds(2), handler.ConnectTimeout);
        Assert.Null(handler.SslOptions.RemoteCertificateValidationCallback);
    }
}
