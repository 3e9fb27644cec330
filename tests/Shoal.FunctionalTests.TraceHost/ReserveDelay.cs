namespace Shoal.FunctionalTests.TraceHost;

/// <summary>How long the Inventory role holds each Reserve call: long enough for the test to kill the instance mid-call.</summary>
internal sealed record ReserveDelay(TimeSpan Value);
