using Shoal.Autoscaling.Actuators;

namespace Shoal.Autoscaling.Hosting.Tests.Infrastructure;

/// <summary>An actuator provider with a given name and problems that hands out one given actuator.</summary>
internal sealed class FixedActuatorProvider(string name, IScaleActuator actuator, params string[] problems) : IScaleActuatorProvider
{
    public string Name => name;

    public int Created { get; private set; }

    public IReadOnlyList<string> Check() => problems;

    public IScaleActuator Create(ScaleActuatorContext context)
    {
        Created++;
        return actuator;
    }
}
