namespace Shoal.Deployment.Tests.Infrastructure;

/// <summary>The tests that share one build of the images; they run one after the other.</summary>
[CollectionDefinition(Name)]
public sealed class ContainersCollection : ICollectionFixture<DeploymentImages>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Containers";
}
