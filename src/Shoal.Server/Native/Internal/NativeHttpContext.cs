using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Shoal.Server.Native.Internal;

/// <summary>
/// The <see cref="HttpContext"/> a native call shows to ASP.NET Core authentication, authorization
/// and the handler: a POST to <c>/package.Service/Method</c> whose headers are the call's metadata
/// (binary values base64, as on HTTP/2), with the connection's addresses and TLS client certificate.
/// </summary>
internal static class NativeHttpContext
{
    /// <summary>The <see cref="ServerCallContext.UserState"/> key grpc-dotnet's <c>GetHttpContext()</c> reads.</summary>
    public const string UserStateKey = "__HttpContext";

    public static DefaultHttpContext Create(ServerCall call, IServiceProvider? requestServices, Endpoint? endpoint)
    {
        var context = new DefaultHttpContext();
        var connection = call.Connection.Transport;
        var tls = connection.Features.Get<ITlsConnectionFeature>();
        var request = context.Request;
        request.Protocol = "shoal";
        request.Method = HttpMethods.Post;
        request.Scheme = tls is null && connection.Features.Get<ITlsHandshakeFeature>() is null ? "http" : "https";
        request.Path = "/" + call.Definition.FullName.TrimStart('/');
        request.Host = new HostString(call.Host);
        request.ContentType = "application/grpc";
        foreach (var entry in call.RequestHeaders)
        {
            var value = entry.IsBinary ? Convert.ToBase64String(entry.ValueBytes) : entry.Value;
            request.Headers.Append(entry.Key, value);
        }
        if (connection.RemoteEndPoint is IPEndPoint remote)
        {
            context.Connection.RemoteIpAddress = remote.Address;
            context.Connection.RemotePort = remote.Port;
        }
        if (connection.LocalEndPoint is IPEndPoint local)
        {
            context.Connection.LocalIpAddress = local.Address;
            context.Connection.LocalPort = local.Port;
        }
        context.Connection.Id = connection.ConnectionId;
        context.Connection.ClientCertificate = tls?.ClientCertificate;
        context.TraceIdentifier = $"{connection.ConnectionId}:{call.Id}";
        if (requestServices is not null)
        {
            context.RequestServices = requestServices;
        }
        if (endpoint is not null)
        {
            context.SetEndpoint(endpoint);
        }
        return context;
    }
}
