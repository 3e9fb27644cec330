using Microsoft.Extensions.Options;
using Shoal.Client.Cluster.FaultTolerance;
using Shoal.Client.Cluster.LoadBalancing;

namespace Shoal.Client.Cluster;

/// <summary>Checks <see cref="ClusterOptions"/>: known policy and strategy names, ranges, durations.</summary>
public sealed class ClusterOptionsValidator : IValidateOptions<ClusterOptions>
{
    private readonly HashSet<string> _policies;
    private readonly HashSet<string> _strategies;

    /// <summary>Creates a validator that knows the built-in names and those of <paramref name="loadBalancers"/> and <paramref name="strategies"/>.</summary>
    public ClusterOptionsValidator(IEnumerable<ILoadBalancerFactory>? loadBalancers = null, IEnumerable<IFaultToleranceStrategyFactory>? strategies = null)
    {
        _policies = new HashSet<string>(ClusterFactories.BuiltInLoadBalancers().Concat(loadBalancers ?? []).Select(f => f.Name), StringComparer.Ordinal);
        _strategies = new HashSet<string>(ClusterFactories.BuiltInStrategies().Concat(strategies ?? []).Select(f => f.Name), StringComparer.Ordinal);
    }

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var lb = options.LoadBalancing;
        if (lb is null)
        {
            errors.Add("LoadBalancing is required.");
        }
        else
        {
            if (!_policies.Contains(lb.Policy ?? ""))
            {
                errors.Add($"LoadBalancing:Policy '{lb.Policy}' is unknown; expected one of {string.Join(", ", _policies.Order())}.");
            }
            Check(errors, lb.WarmupPeriod >= TimeSpan.Zero, "LoadBalancing:WarmupPeriod must not be negative.");
            Check(errors, lb.WarmupMinWeightPercent is >= 1 and <= 100, "LoadBalancing:WarmupMinWeightPercent must be 1–100.");
            Check(errors, lb.LocalZoneMinReadyShare is >= 0 and <= 1, "LoadBalancing:LocalZoneMinReadyShare must be 0–1.");
            Check(errors, lb.LocalZoneMaxInFlightPerEndpoint >= 1, "LoadBalancing:LocalZoneMaxInFlightPerEndpoint must be at least 1.");
            Check(errors, !string.IsNullOrWhiteSpace(lb.HashHeader) && !lb.HashHeader.EndsWith("-bin", StringComparison.OrdinalIgnoreCase),
                "LoadBalancing:HashHeader must name an ASCII header (not a -bin one).");
            Check(errors, lb.VirtualNodes >= 1 && lb.MaxRingSize >= 1, "LoadBalancing:VirtualNodes and MaxRingSize must be at least 1.");
            Check(errors, lb.LeastRequestChoices >= 2, "LoadBalancing:LeastRequestChoices must be at least 2.");
            Check(errors, lb.EwmaDecay > TimeSpan.Zero, "LoadBalancing:EwmaDecay must be positive.");
        }
        ValidateMethod(errors, "DefaultMethod", options.DefaultMethod);
        foreach (var (key, policy) in options.Methods ?? new Dictionary<string, MethodPolicy>())
        {
            Check(errors, IsValidMethodKey(key), $"Methods key '{key}' must be '/pkg.Service/Method', 'pkg.Service/*' or '*'.");
            ValidateMethod(errors, $"Methods:{key}", policy);
        }
        var budget = options.RetryBudget;
        Check(errors, budget is not null && budget.Ratio is >= 0 and <= 10 && budget.MinRetriesPerSecond >= 0
            && budget.Window >= TimeSpan.FromSeconds(1) && budget.Window <= TimeSpan.FromSeconds(60),
            "RetryBudget needs Ratio 0–10, MinRetriesPerSecond ≥ 0 and Window 1–60 s.");
        var ejection = options.OutlierEjection;
        Check(errors, ejection is not null && ejection.Interval > TimeSpan.Zero && ejection.BaseEjectionTime > TimeSpan.Zero
            && ejection.MaxEjectionPercent is >= 0 and <= 100 && ejection.ConsecutiveFailures >= 0,
            "OutlierEjection needs positive Interval and BaseEjectionTime, MaxEjectionPercent 0–100 and ConsecutiveFailures ≥ 0.");
        var health = options.HealthChecks;
        Check(errors, health is not null && health.Interval > TimeSpan.Zero && health.Timeout > TimeSpan.Zero,
            "HealthChecks needs positive Interval and Timeout.");
        Check(errors, options.WaitForReadyTimeout >= TimeSpan.Zero, "WaitForReadyTimeout must not be negative.");
        Check(errors, options.StartTimeout >= TimeSpan.Zero, "StartTimeout must not be negative.");
        Check(errors, options.FailbackQueueCapacity >= 0, "FailbackQueueCapacity must not be negative.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every problem of <paramref name="options"/>.</summary>
    public void ThrowIfInvalid(ClusterOptions options)
    {
        var result = Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(ClusterOptions), result.Failures);
        }
    }

    private void ValidateMethod(List<string> errors, string path, MethodPolicy? policy)
    {
        if (policy is null)
        {
            errors.Add($"{path} is empty.");
            return;
        }
        if (!_strategies.Contains(policy.Strategy ?? ""))
        {
            errors.Add($"{path}:Strategy '{policy.Strategy}' is unknown; expected one of {string.Join(", ", _strategies.Order())}.");
        }
        Check(errors, policy.Retries is >= 0 and <= 10, $"{path}:Retries must be 0–10.");
        Check(errors, policy.Forks is >= 1 and <= 16, $"{path}:Forks must be 1–16.");
        Check(errors, policy.MaxHedgedAttempts is >= 1 and <= 10, $"{path}:MaxHedgedAttempts must be 1–10.");
        Check(errors, policy.HedgingDelay >= TimeSpan.Zero && policy.RetryBackoff >= TimeSpan.Zero, $"{path}: delays must not be negative.");
        Check(errors, policy.FailbackRetries >= 0 && policy.FailbackBackoff > TimeSpan.Zero && policy.FailbackAttemptTimeout > TimeSpan.Zero,
            $"{path}: failback needs Retries ≥ 0 and positive FailbackBackoff and FailbackAttemptTimeout.");
    }

    private static bool IsValidMethodKey(string key)
    {
        if (key == "*")
        {
            return true;
        }
        var trimmed = key.StartsWith('/') ? key[1..] : key;
        var slash = trimmed.IndexOf('/');
        return slash > 0 && slash < trimmed.Length - 1 && trimmed.IndexOf('/', slash + 1) < 0;
    }

    private static void Check(List<string> errors, bool ok, string message)
    {
        if (!ok)
        {
            errors.Add(message);
        }
    }
}
