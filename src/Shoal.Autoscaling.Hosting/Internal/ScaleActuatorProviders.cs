using Shoal.Autoscaling.Actuators;

namespace Shoal.Autoscaling.Hosting.Internal;

/// <summary>The actuator providers an autoscaler chooses from: the registered ones, then the built-in <c>dry-run</c> and <c>local</c>.</summary>
internal static class ScaleActuatorProviders
{
    /// <summary>The registered providers followed by the built-ins; the first of a name wins.</summary>
    public static IReadOnlyList<IScaleActuatorProvider> WithBuiltIns(ShoalAutoscalerOptions options, IEnumerable<IScaleActuatorProvider>? registered)
    {
        var local = options.Local ?? new LocalActuatorSettings();
        var localOptions = new LocalProcessOptions
        {
            FileName = local.Command,
            Arguments = [.. local.Arguments],
            Environment = new Dictionary<string, string>(local.Environment, StringComparer.Ordinal),
            WorkingDirectory = local.WorkingDirectory,
            GracePeriod = local.GracePeriod,
        };
        return [.. registered ?? [], new DryRunActuatorProvider(), new LocalProcessActuatorProvider(localOptions)];
    }

    /// <summary>The provider <paramref name="name"/> selects, or null.</summary>
    public static IScaleActuatorProvider? Find(IReadOnlyList<IScaleActuatorProvider> providers, string? name)
        => providers.FirstOrDefault(provider => string.Equals(provider.Name, name, StringComparison.Ordinal));

    /// <summary>Where the provider of a known name comes from: a sentence naming the package and its registration call.</summary>
    public static string HintFor(string? name) => name switch
    {
        AutoscalerActuatorKinds.Kubernetes => " Add the Shoal.Autoscaling.Kubernetes package and call services.AddShoalKubernetesActuator(configuration).",
        AutoscalerActuatorKinds.Containers => " Add the Shoal.Autoscaling.Containers package and call services.AddShoalContainerActuator(...).",
        _ => "",
    };
}
