using Microsoft.Extensions.Options;
using Shoal.Autoscaling.Actuators;
using Shoal.Autoscaling.Hosting.Internal;
using Shoal.Targets;

namespace Shoal.Autoscaling.Hosting;

/// <summary>Rejects autoscaler settings it cannot run with, naming the configuration key at fault.</summary>
/// <param name="actuators">The registered actuator providers (besides the built-in <c>dry-run</c> and <c>local</c>).</param>
public sealed class ShoalAutoscalerOptionsValidator(IEnumerable<IScaleActuatorProvider> actuators) : IValidateOptions<ShoalAutoscalerOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, ShoalAutoscalerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Check(options, actuators);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Every problem with <paramref name="options"/>, one sentence each; empty when they are valid.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="actuators">The registered actuator providers; null for the built-in ones only.</param>
    /// <returns>The problems.</returns>
    public static IReadOnlyList<string> Check(ShoalAutoscalerOptions options, IEnumerable<IScaleActuatorProvider>? actuators = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string Section = ShoalAutoscalerOptions.SectionName;
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Registry))
        {
            failures.Add($"{Section}:Registry is not set; use registry://host:port, etcd://host:port, static://h1:p1,h2:p2 or dns:///name:port.");
        }
        else if (!ShoalTarget.TryParse(options.LoadTarget(), out var target, out var error))
        {
            failures.Add($"{Section}:Registry/Service: {error}");
        }
        else if (target.IsDirect)
        {
            failures.Add($"{Section}:Registry '{options.Registry}' names one instance; use a registry (registry://, etcd://) or a list (static://, dns:///).");
        }

        var providers = ScaleActuatorProviders.WithBuiltIns(options, actuators);
        if (ScaleActuatorProviders.Find(providers, options.Actuator) is not { } provider)
        {
            var names = string.Join(", ", providers.Select(p => p.Name).Distinct(StringComparer.Ordinal));
            failures.Add($"{Section}:Actuator is '{options.Actuator}', which no registered actuator provider has (registered: {names}).{ScaleActuatorProviders.HintFor(options.Actuator)}");
        }
        else
        {
            failures.AddRange(provider.Check().Select(failure => $"{Section}:{failure}"));
        }

        if (options.MinReplicas < 1 || options.MaxReplicas < options.MinReplicas)
        {
            failures.Add($"{Section}: MinReplicas is {options.MinReplicas} and MaxReplicas {options.MaxReplicas}; need 1 <= MinReplicas <= MaxReplicas.");
        }
        if (options.Capacity is { } capacity && !(capacity > 0 && double.IsFinite(capacity)))
        {
            failures.Add($"{Section}:Capacity is {capacity}; use a positive number of requests per second per replica, or leave it unset to learn it.");
        }
        if (!(options.InitialCapacity > 0 && double.IsFinite(options.InitialCapacity)))
        {
            failures.Add($"{Section}:InitialCapacity is {options.InitialCapacity}; it must be positive.");
        }
        if (options.Interval <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:Interval is {options.Interval}; it must be positive.");
        }
        if (options.ForecastInterval is { } forecast && forecast < options.Interval)
        {
            failures.Add($"{Section}:ForecastInterval is {forecast}; it must be at least the Interval ({options.Interval}).");
        }
        if (options.LeadTime < TimeSpan.Zero || options.ScaleDownStabilisation < TimeSpan.Zero)
        {
            failures.Add($"{Section}: LeadTime and ScaleDownStabilisation cannot be negative.");
        }
        if (!(options.Nines > 0 && options.Nines <= 300))
        {
            failures.Add($"{Section}:Nines is {options.Nines}; use a number of nines in (0, 300], such as 3 for the 99.9% quantile.");
        }
        if (options.ErrorWindow < options.Interval || options.MaxSeason < TimeSpan.Zero)
        {
            failures.Add($"{Section}: ErrorWindow must be at least the Interval and MaxSeason cannot be negative.");
        }
        if (options.GrowthMemory < TimeSpan.Zero)
        {
            failures.Add($"{Section}:GrowthMemory is {options.GrowthMemory}; it cannot be negative (zero leaves the growth bound out).");
        }
        if (options.StaleAfter <= TimeSpan.Zero || options.LatencyObjective <= TimeSpan.Zero)
        {
            failures.Add($"{Section}: StaleAfter and LatencyObjective must be positive.");
        }
        if (options.InitialReplicas < 0)
        {
            failures.Add($"{Section}:InitialReplicas is {options.InitialReplicas}; it cannot be negative.");
        }
        return failures;
    }
}
