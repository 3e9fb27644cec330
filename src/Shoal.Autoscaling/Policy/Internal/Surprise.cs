namespace Shoal.Autoscaling.Policy.Internal;

/// <summary>A surprise: the load seen so far in a forecast window, and how far it is above the forecast made for the window.</summary>
/// <param name="Seen">The mean load of the window so far.</param>
/// <param name="Jump">Seen minus the forecast (positive).</param>
internal readonly record struct Surprise(double Seen, double Jump);
