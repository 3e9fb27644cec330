using Shoal.Discovery;
using Shoal.Targets;

namespace Shoal.Server.Tests.Infrastructure;

/// <summary>Claims static:// targets and resolves every service to an empty set (the stand-in cluster invoker ignores it).</summary>
public sealed class StaticResolverFactory : IServiceResolverFactory
{
    public bool Supports(string scheme) => scheme == "static";

    public IServiceResolver Create(ShoalTarget target) => new EmptyResolver();

    private sealed class EmptyResolver : IServiceResolver
    {
        public async IAsyncEnumerable<InstanceSet> WatchAsync(string service, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.CompletedTask;
            yield return InstanceSet.Empty(service);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
