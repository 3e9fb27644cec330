using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Server.Native.Internal;

namespace Shoal.Server.Native;

/// <summary>
/// Decides native calls with ASP.NET Core authentication and authorization, from the same
/// endpoint metadata (<c>[Authorize]</c>, <c>[AllowAnonymous]</c>, policies, <c>RequireAuthorization()</c>)
/// that decides the gRPC call to the same method.
/// </summary>
/// <remarks>
/// A method whose endpoint carries no authorization metadata, on a server without a fallback
/// policy, runs as before: nothing is evaluated. Otherwise each call gets an <see cref="HttpContext"/>
/// (request metadata as headers, the TLS client certificate, a service scope) that the default
/// authentication scheme authenticates and the endpoint's combined policy authorizes, as ASP.NET
/// Core's authentication and authorization middleware do; the handler reads it with grpc-dotnet's
/// <c>context.GetHttpContext()</c>. Anonymous callers get <c>Unauthenticated</c>, authenticated ones
/// the policy refuses get <c>PermissionDenied</c>; a policy that cannot be evaluated (no
/// authorization services, a scheme or handler that throws) refuses the call, never runs it.
/// </remarks>
public sealed class NativeCallAuthorization
{
    /// <summary>Creates the authorization for a server whose services come from <paramref name="services"/>.</summary>
    /// <param name="services">The application's root services (authentication, authorization, scopes).</param>
    /// <param name="findEndpoint">
    /// The endpoint whose metadata decides a method, by its full name (<c>/package.Service/Method</c>),
    /// or null when there is none (the method then runs only if there is no fallback policy). Called
    /// once per method, at its first call, so endpoints mapped after the host was built are seen.
    /// </param>
    public NativeCallAuthorization(IServiceProvider services, Func<string, Endpoint?> findEndpoint)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(findEndpoint);
        Services = services;
        FindEndpoint = findEndpoint;
        Logger = services.GetService<ILoggerFactory>()?.CreateLogger("Shoal.Transport.Native.Authorization") ?? NullLogger.Instance;
    }

    internal IServiceProvider Services { get; }

    internal Func<string, Endpoint?> FindEndpoint { get; }

    internal ILogger Logger { get; }

    internal NativeCallAuthorizer ForMethod(string fullName) => new(this, fullName);
}
