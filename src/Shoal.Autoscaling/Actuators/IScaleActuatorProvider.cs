namespace Shoal.Autoscaling.Actuators;

/// <summary>
/// Creates the actuator a configured name selects (<c>Shoal:Autoscaler:Actuator</c>). The built-in
/// providers are <c>dry-run</c> and <c>local</c>; a package adds its own with one registration call
/// (<c>services.AddShoalKubernetesActuator()</c>, <c>services.AddShoalContainerActuator(...)</c>).
/// </summary>
public interface IScaleActuatorProvider
{
    /// <summary>Gets the name that selects this provider, such as <c>kubernetes</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Every problem with the provider's settings, one sentence each, naming the key under the
    /// autoscaler's configuration section (<c>Kubernetes:Deployment is not set; ...</c>); empty when it can run.
    /// Asked only of the provider the configuration selects.
    /// </summary>
    /// <returns>The problems.</returns>
    IReadOnlyList<string> Check();

    /// <summary>Creates the actuator; the caller owns it (and disposes it when it is disposable).</summary>
    /// <param name="context">The clock, logging and replica count the actuator starts from.</param>
    /// <returns>The actuator.</returns>
    IScaleActuator Create(ScaleActuatorContext context);
}
