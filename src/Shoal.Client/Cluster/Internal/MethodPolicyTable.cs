using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Shoal.Client.Cluster.FaultTolerance;

namespace Shoal.Client.Cluster.Internal;

/// <summary>
/// Resolves a method's policy and strategy once, then serves it from a cache: the exact
/// <c>/pkg.Service/Method</c> key, else <c>pkg.Service/*</c>, else <c>*</c>, else the default.
/// A policy that leaves <see cref="MethodPolicy.Idempotent"/> unset gets the method contract's
/// <c>idempotency_level</c> (see <see cref="MethodContracts"/>), else false.
/// </summary>
/// <remarks>
/// The cache is keyed by the method's full name, so the contract is looked up with the first
/// <see cref="Method{TRequest, TResponse}"/> object seen for a name; generated clients share one
/// object per method.
/// </remarks>
internal sealed class MethodPolicyTable
{
    private readonly Dictionary<string, MethodPolicy> _byKey = new(StringComparer.Ordinal);
    private readonly MethodPolicy _default;
    private readonly IReadOnlyDictionary<string, IFaultToleranceStrategy> _strategies;
    private readonly MethodContracts _contracts;
    private readonly string _service;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, (MethodPolicy Policy, IFaultToleranceStrategy Strategy)> _cache = new(StringComparer.Ordinal);
    private LastResolved? _last;

    public MethodPolicyTable(ClusterOptions options, IReadOnlyDictionary<string, IFaultToleranceStrategy> strategies, MethodContracts contracts,
        string service, ILogger logger)
    {
        _default = options.DefaultMethod;
        _strategies = strategies;
        _contracts = contracts;
        _service = service;
        _logger = logger;
        foreach (var (key, policy) in options.Methods)
        {
            _byKey[key == "*" || key.StartsWith('/') ? key : "/" + key] = policy;
        }
    }

    /// <summary>Resolves <paramref name="method"/>; a run of calls to the same method object skips even the lookup.</summary>
    public (MethodPolicy Policy, IFaultToleranceStrategy Strategy) Resolve<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class
        where TResponse : class
    {
        var last = Volatile.Read(ref _last);
        if (last is not null && ReferenceEquals(last.Method, method))
        {
            return last.Entry;
        }
        if (!_cache.TryGetValue(method.FullName, out var entry))
        {
            entry = _cache.GetOrAdd(method.FullName, Build(method));
        }
        Volatile.Write(ref _last, new LastResolved(method, entry));
        return entry;
    }

    private (MethodPolicy Policy, IFaultToleranceStrategy Strategy) Build<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class
        where TResponse : class
    {
        var policy = Find(method.FullName);
        if (policy.Idempotent is null)
        {
            policy = policy.WithIdempotent(FromContract(method));
        }
        return (policy, _strategies[policy.Strategy]);
    }

    private bool FromContract<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class
        where TResponse : class
    {
        try
        {
            if (_contracts.Find(method) is not { } descriptor)
            {
                ClusterLog.NoContract(_logger, _service, method.FullName);
                return false;
            }
            var level = MethodContracts.LevelOf(descriptor);
            var idempotent = MethodContracts.IsIdempotent(level);
            ClusterLog.ContractIdempotency(_logger, _service, method.FullName, level, idempotent);
            return idempotent;
        }
        catch (Exception e)
        {
            // Reading descriptors by reflection must never fail a call: without a contract a method is not idempotent.
            ClusterLog.ContractLookupFailed(_logger, _service, method.FullName, e);
            return false;
        }
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
