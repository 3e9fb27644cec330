namespace Shoal.Server.Dashboard.Internal;

/// <summary>The answer to a drain the page asked for.</summary>
/// <param name="Instance">The instance as the registry lists it.</param>
/// <param name="InstanceId">The id its host says it registered with.</param>
internal sealed record DrainResult(string Instance, string InstanceId);
