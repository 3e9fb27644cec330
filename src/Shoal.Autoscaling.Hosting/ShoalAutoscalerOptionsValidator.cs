using Microsoft.Extensions.Options;
using Shoal.Targets;

namespace Shoal.Autoscaling.Hosting;

/// <summary>Rejects autoscaler settings it cannot run with, naming the configuration key at fault.</summary>
public sealed class ShoalAutoscalerOptionsValidator : IValidateOptions<ShoalAutoscalerOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, ShoalAutoscalerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Check(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Every problem with <paramref name="options"/>, one sentence each; empty when they are valid.</summary>
    /// <param name="options">The settings.</param>
    /// <returns>The problems.</returns>
    public static IReadOnlyList<string> Check(ShoalAutoscalerOptions options)
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

        if (!AutoscalerActuatorKinds.All.Contains(options.Actuator, StringComparer.Ordinal))
        {
            failures.Add($"{Section}:Actuator is '{options.Actuator}'; expected one of {string.Join(", ", AutoscalerActuatorKinds.All)}.");
        }
        else if (options.Actuator == AutoscalerActuatorKinds.Local && string.IsNullOrWhiteSpace(options.Local?.Command))
        {
            failures.Add($"{Section}:Local:Command is not set; the local actuator needs the command that starts one instance.");
        }
        else if (options.Actuator == AutoscalerActuatorKinds.Kubernetes)
        {
            CheckKubernetes(options.Kubernetes, failures);
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

    private static void CheckKubernetes(KubernetesActuatorSettings? kubernetes, List<string> failures)
    {
        const string Section = ShoalAutoscalerOptions.SectionName + ":Kubernetes";
        if (kubernetes is null || string.IsNullOrWhiteSpace(kubernetes.Deployment))
        {
            failures.Add($"{Section}:Deployment is not set; the kubernetes actuator needs the Deployment to scale.");
            return;
        }
        if (string.IsNullOrWhiteSpace(kubernetes.Namespace))
        {
            failures.Add($"{Section}:Namespace is empty.");
        }
        if (kubernetes.ApiServer is { Length: > 0 } server
            && !(Uri.TryCreate(server, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            failures.Add($"{Section}:ApiServer '{server}' is not an http(s):// URL.");
        }
        if (kubernetes.Kubeconfig is { Length: > 0 } file && !File.Exists(file))
        {
            failures.Add($"{Section}:Kubeconfig '{file}' does not exist.");
        }
    }
}
