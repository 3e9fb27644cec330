namespace Shoal.Server.Native.Internal;

/// <summary>A unary call: no request stream, no response stream.</summary>
internal sealed class SimpleServerCall(ServerConnection connection, ServerMethod method, in CallStartInfo start)
    : ServerCall(connection, method, start.Id, start.Host, start.Deadline, start.Headers)
{
}
