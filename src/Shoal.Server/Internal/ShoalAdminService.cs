using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shoal.Client.Admin.Protocol;
using Shoal.Client.Discovery.Embedded;
using Shoal.Server.Registry.Internal;

namespace Shoal.Server.Internal;

/// <summary>
/// <c>shoal.admin.v1.Admin</c>, served by every Shoal host on both transports: <c>Drain</c> stops the
/// host as SIGTERM does (deregister, then the graceful drain). Guarded by the registry's credential:
/// a call must carry <c>authorization: Bearer &lt;token&gt;</c> with the token of
/// <see cref="ShoalServerOptions.RegistryTokenFile"/> (<c>Unauthenticated</c> otherwise), and a host
/// without that token refuses every admin call (<c>PermissionDenied</c>): nobody may stop it remotely.
/// </summary>
internal sealed class ShoalAdminService : Admin.AdminBase
{
    private const int MaxReason = 200;
    private readonly IOptions<ShoalServerOptions> _options;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger _logger;
    private readonly Lazy<RegistryAccess?> _access;

    public ShoalAdminService(IOptions<ShoalServerOptions> options, IHostApplicationLifetime lifetime, ILogger<ShoalAdminService> logger)
    {
        _options = options;
        _lifetime = lifetime;
        _logger = logger;
        _access = new(() => options.Value.RegistryTokenFile is { } path ? RegistryAccess.ForToken(RegistryToken.ReadFile(path)) : null);
    }

    public override Task<DrainReply> Drain(DrainRequest request, ServerCallContext context)
    {
        Authorize(context, nameof(Drain));
        var reason = request.Reason.Length > MaxReason ? request.Reason[..MaxReason] : request.Reason;
        ShoalServerLog.AdminDrain(_logger, context.Peer ?? "?", reason);
        // On another thread: stopping deregisters and then drains, and the drain waits for this call to end.
        _ = Task.Run(_lifetime.StopApplication);
        return Task.FromResult(new DrainReply { InstanceId = string.IsNullOrWhiteSpace(_options.Value.Registry) ? "" : _options.Value.InstanceId ?? "" });
    }

    private void Authorize(ServerCallContext context, string method)
    {
        if (_access.Value is not { } access)
        {
            throw Refuse(context, method, StatusCode.PermissionDenied, "admin calls are disabled: this host has no registry token (Shoal:Server:RegistryTokenFile, shoal serve --registry-token-file).");
        }
        if (access.Check(context) is { } reason)
        {
            throw Refuse(context, method, StatusCode.Unauthenticated, "admin calls need the registry token: " + reason);
        }
    }

    private RpcException Refuse(ServerCallContext context, string method, StatusCode status, string why)
    {
        ShoalServerLog.AdminRefused(_logger, method, context.Peer ?? "?", why);
        return new RpcException(new Status(status, why));
    }
}
