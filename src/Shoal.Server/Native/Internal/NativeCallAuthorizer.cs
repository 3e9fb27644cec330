using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Shoal.Server.Native.Internal;

/// <summary>
/// Authorizes the calls of one method before its handler (and the server interceptors) run. The
/// method's endpoint metadata is read at its first call; a method that needs nothing is then a
/// field check per call.
/// </summary>
internal sealed partial class NativeCallAuthorizer(NativeCallAuthorization owner, string method)
{
    private NativeMethodPolicy? _policy;

    /// <summary>Whether calls go straight to the handler: the method needs no authentication.</summary>
    private bool IsOpen => _policy is { Evaluate: false, Refuse: false };

    /// <summary>
    /// Authenticates and authorizes one call; returns the service scope its <see cref="HttpContext"/>
    /// uses (disposed when the handler ends), or null when the method needs nothing.
    /// </summary>
    /// <exception cref="RpcException"><c>Unauthenticated</c> or <c>PermissionDenied</c>: the handler must not run.</exception>
    private async ValueTask<AsyncServiceScope?> AuthorizeAsync(ServerCallContext context)
    {
        var policy = _policy ?? await ResolveAsync().ConfigureAwait(false);
        if (policy.Refuse)
        {
            throw Refuse(context, StatusCode.PermissionDenied, "The method requires authorization, which this server cannot evaluate.");
        }
        if (!policy.Evaluate)
        {
            return null;
        }
        var scope = owner.Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        try
        {
            var call = (ServerCall)context;
            var http = NativeHttpContext.Create(call, scope.ServiceProvider, policy.Endpoint);
            context.UserState[NativeHttpContext.UserStateKey] = http;
            await AuthenticateDefaultAsync(http).ConfigureAwait(false);
            var combined = policy.Combined ?? await CombineAsync(policy).ConfigureAwait(false);
            if (combined is not null)
            {
                var evaluator = scope.ServiceProvider.GetRequiredService<IPolicyEvaluator>();
                var authenticated = await evaluator.AuthenticateAsync(combined, http).ConfigureAwait(false);
                if (!policy.AllowAnonymous)
                {
                    var result = await evaluator.AuthorizeAsync(combined, authenticated, http, http).ConfigureAwait(false);
                    if (result.Challenged)
                    {
                        throw Refuse(context, StatusCode.Unauthenticated, "The call requires an authenticated caller.");
                    }
                    if (!result.Succeeded)
                    {
                        throw Refuse(context, StatusCode.PermissionDenied, "The caller is not allowed to call this method.");
                    }
                }
            }
            return scope;
        }
        catch (RpcException)
        {
            await scope.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        catch (Exception e)
        {
            // Fail closed: whatever could not be evaluated never lets the handler run.
            await scope.DisposeAsync().ConfigureAwait(false);
            NativeAuthorizationLog.NotEvaluated(owner.Logger, method, e);
            throw new RpcException(new Grpc.Core.Status(StatusCode.Unauthenticated, "The call's credentials could not be evaluated."));
        }
    }

    /// <summary>What ASP.NET Core's authentication middleware does: the default scheme sets the user.</summary>
    private static async Task AuthenticateDefaultAsync(HttpContext http)
    {
        var schemes = http.RequestServices.GetService<IAuthenticationSchemeProvider>();
        if (schemes is null || await schemes.GetDefaultAuthenticateSchemeAsync().ConfigureAwait(false) is not { } scheme)
        {
            return;
        }
        var result = await http.AuthenticateAsync(scheme.Name).ConfigureAwait(false);
        if (result.Principal is not null)
        {
            http.User = result.Principal;
        }
    }

    private RpcException Refuse(ServerCallContext context, StatusCode code, string detail)
    {
        NativeAuthorizationLog.Refused(owner.Logger, method, context.Peer, code);
        return new RpcException(new Grpc.Core.Status(code, detail));
    }
}
