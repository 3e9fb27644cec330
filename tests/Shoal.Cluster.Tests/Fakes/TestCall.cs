using Grpc.Core;

namespace Shoal.Cluster.Tests.Fakes;

/// <summary>One call as a <see cref="TestCallInvoker"/> handler sees it.</summary>
public sealed record TestCall(Uri Address, string Method, object? Request, CallOptions Options)
{
    public string? Header(string key) => Options.Headers?.GetValue(key);
}
