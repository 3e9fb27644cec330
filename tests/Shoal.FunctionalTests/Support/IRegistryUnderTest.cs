namespace Shoal.FunctionalTests.Support;

/// <summary>A registry run as real processes: where servers register, what clients target, and a way to take it away and bring it back.</summary>
public interface IRegistryUnderTest : IAsyncDisposable
{
    /// <summary>What a server is given as <c>--registry</c>.</summary>
    string ServerAddress { get; }

    /// <summary>The client's target for <paramref name="service"/>, without a query.</summary>
    string TargetFor(string service);

    /// <summary>Stops the registry (its clients keep their last instance set).</summary>
    Task StopAsync();

    /// <summary>Starts it again on the same address.</summary>
    Task RestartAsync();
}
