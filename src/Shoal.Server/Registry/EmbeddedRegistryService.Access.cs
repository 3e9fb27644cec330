using Grpc.Core;
using Shoal.Client.Discovery.Internal;
using Shoal.Server.Registry.Internal;

namespace Shoal.Server.Registry;

/// <content>Who may call, and how much one connection may hold.</content>
public sealed partial class EmbeddedRegistryService
{
    private readonly RegistryAccess _access;
    private readonly RegistryConnectionLimits _limits;

    private static string PeerOf(ServerCallContext context) => context.Peer ?? "";

    // Before anything else of the request is looked at: a stranger learns nothing but the refusal.
    private void Authenticate(ServerCallContext context, string method)
    {
        if (_access.Check(context) is { } reason)
        {
            throw Refuse(context, method, StatusCode.Unauthenticated, reason);
        }
    }

    private RpcException Refuse(ServerCallContext context, string method, StatusCode status, string reason)
    {
        RegistryLog.RequestRejected(_logger, method, context.Peer ?? "?", reason);
        return new RpcException(new Status(status, reason));
    }
}
