using Shoal.Targets;

namespace Shoal.Discovery;

/// <summary>Creates the resolver for the target schemes it claims (<c>registry</c>, <c>etcd</c>, <c>dns</c>, <c>static</c>, …).</summary>
public interface IServiceResolverFactory
{
    /// <summary>Whether this factory resolves targets of <paramref name="scheme"/>.</summary>
    bool Supports(string scheme);

    /// <summary>Creates a resolver for <paramref name="target"/>.</summary>
    IServiceResolver Create(ShoalTarget target);
}
