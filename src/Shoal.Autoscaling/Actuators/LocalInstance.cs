namespace Shoal.Autoscaling.Actuators;

/// <summary>One instance process run by <see cref="LocalProcessActuator"/>.</summary>
/// <param name="Id">The instance id (kept across restarts).</param>
/// <param name="Port">The port the instance was told to listen on.</param>
/// <param name="ProcessId">The current process id.</param>
/// <param name="Restarts">How many times it was restarted after a crash.</param>
public sealed record LocalInstance(string Id, int Port, int ProcessId, int Restarts);
