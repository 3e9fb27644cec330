using System.Collections.Concurrent;
using Grpc.Core;
using Shoal.Cluster.FaultTolerance;

namespace Shoal.Cluster.Internal;

/// <summary>
/// Resolves a method's policy and strategy once, then serves it from a cache: the exact
/// <c>/pkg.Service/Method</c> key, else <c>pkg.Service/*</c>, else <c>*</c>, else the default.
/// </summary>
internal sealed class MethodPolicyTable
{
    private readonly Dictionary<string, MethodPolicy> _byKey = new(StringComparer.Ordinal);
    private readonly MethodPolicy _default;
    private readonly IReadOnlyDictionary<string, IFaultToleranceStrategy> _strategies;
    private readonly ConcurrentDictionary<string, (MethodPolicy Policy, IFaultToleranceStrategy Strategy)> _cache = new(StringComparer.Ordinal);
    private LastResolved? _last;

    public MethodPolicyTable(ClusterOptions options, IReadOnlyDictionary<string, IFaultToleranceStrategy> strategies)
    {
        _default = options.DefaultMethod;
        _strategies = strategies;
        foreach (var (key, policy) in options.Methods)
        {
            _byKey[key == "*" || key.StartsWith('/') ? key : "/" + key] = policy;
        }
    }

    /// <summary>Resolves <paramref name="method"/>; a run of calls to the same method object skips even the lookup.</summary>
    public (MethodPolicy Policy, IFaultToleranceStrategy Strategy) Resolve(IMethod method)
    {
        var last = Volatile.Read(ref _last);
        if (last is not null && ReferenceEquals(last.Method, method))
        {
            return last.Entry;
        }
        var entry = Resolve(method.FullName);
        Volatile.Write(ref _last, new LastResolved(method, entry));
        return entry;
    }

    public (MethodPolicy Policy, IFaultToleranceStrategy Strategy) Resolve(string fullMethod)
    {
        if (_cache.TryGetValue(fullMethod, out var cached))
        {
            return cached;
        }
        var policy = Find(fullMethod);
        var entry = (policy, _strategies[policy.Strategy]);
        _cache.TryAdd(fullMethod, entry);
        return entry;
    }

    private MethodPolicy Find(string fullMethod)
    {
        var method = fullMethod.StartsWith('/') ? fullMethod : "/" + fullMethod;
        if (_byKey.TryGetValue(method, out var exact))
        {
            return exact;
        }
        var lastSlash = method.LastIndexOf('/');
        if (lastSlash > 0 && _byKey.TryGetValue(method[..(lastSlash + 1)] + "*", out var service))
        {
            return service;
        }
        return _byKey.TryGetValue("*", out var any) ? any : _default;
    }

    private sealed record LastResolved(IMethod Method, (MethodPolicy Policy, IFaultToleranceStrategy Strategy) Entry);
}
