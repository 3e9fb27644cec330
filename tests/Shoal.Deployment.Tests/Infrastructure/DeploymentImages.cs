using Shoal.Tests.Containers;

namespace Shoal.Deployment.Tests.Infrastructure;

/// <summary>Every image deploy/build-images.sh makes, built once for this project's tests.</summary>
public sealed class DeploymentImages : BuiltImages
{
}
