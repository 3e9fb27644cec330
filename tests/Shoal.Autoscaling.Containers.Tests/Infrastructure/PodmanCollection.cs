namespace Shoal.Autoscaling.Containers.Tests.Infrastructure;

/// <summary>The tests that share the podman service and the Greeter image; they run one after the other.</summary>
[CollectionDefinition(Name)]
public sealed class PodmanCollection : ICollectionFixture<PodmanService>, ICollectionFixture<GreeterImage>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Podman";
}
