namespace Shoal.Autoscaling.Signals;

/// <summary>Where the autoscaling controller reads the current load of the service from.</summary>
public interface ILoadSignalSource
{
    /// <summary>Returns the current aggregated load.</summary>
    /// <returns>The load now (an empty aggregate when nothing is known).</returns>
    ClusterLoad Read();
}
