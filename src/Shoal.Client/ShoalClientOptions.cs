namespace Shoal.Client;

/// <summary>
/// Where a client registered with <see cref="ShoalClientServiceCollectionExtensions.AddShoalClient{TClient}"/>
/// calls, bound from <c>Shoal:Clients:&lt;Service&gt;</c> (for <c>Greeter.GreeterClient</c>: <c>Shoal:Clients:Greeter</c>).
/// </summary>
public sealed class ShoalClientOptions
{
    /// <summary>The configuration section clients bind from, followed by the service's name.</summary>
    public const string SectionName = "Shoal:Clients";

    /// <summary>The target, such as <c>shoal://127.0.0.1:7000</c>.</summary>
    public string? Target { get; set; }

    /// <summary>How the client's channel connects.</summary>
    public ShoalChannelOptions Channel { get; set; } = new();
}
