using Shoal.Tests.Containers;

namespace Shoal.Autoscaling.Containers.Tests.Infrastructure;

/// <summary>The Greeter image, built once for this project's tests.</summary>
public sealed class GreeterImage() : BuiltImages("greeter")
{
    /// <summary>Gets this run's Greeter image.</summary>
    public string Name => Image("greeter");
}
