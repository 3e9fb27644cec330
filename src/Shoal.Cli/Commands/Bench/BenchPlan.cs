using Shoal.Cli.Commands.Bench.Scenarios;

namespace Shoal.Cli.Commands.Bench;

/// <summary>What one <c>shoal bench</c> command line asks for.</summary>
/// <param name="Settings">The load of each run.</param>
/// <param name="Target">The server to load; null to start one.</param>
/// <param name="Compare">Run shoal-tcp, shoal-grpc and grpc-dotnet against servers bench starts.</param>
/// <param name="PlainGrpcClient">With a target: call through plain GrpcChannel instead of ShoalChannel.</param>
/// <param name="LoadBalancer">The load balancer for cluster targets (validated; passed on once the cluster channel takes it).</param>
/// <param name="Strategy">The fault-tolerance strategy for cluster targets (likewise).</param>
/// <param name="Idempotent">Cluster targets: SayHello is idempotent whatever its contract says (a configuration override).</param>
/// <param name="Telemetry">With <paramref name="Compare"/>: also run shoal-tcp with the OpenTelemetry SDK attached on both ends.</param>
/// <param name="Tls">With <paramref name="Compare"/>: also run shoal-tcp over TLS, with a certificate generated for the run.</param>
/// <param name="Instances">Start this many servers and load them through one cluster channel per connection (<c>--instances</c>); null for one server.</param>
/// <param name="ConnectionsGiven">Whether <c>--connections</c> was given: a unary run against bench's own server then adds the <c>socket-echo</c> reference.</param>
internal sealed record BenchPlan(BenchSettings Settings, string? Target, bool Compare, bool PlainGrpcClient, string? LoadBalancer, string? Strategy,
    bool Idempotent = false, bool Telemetry = false, bool Tls = false, int? Instances = null, bool ConnectionsGiven = false)
{
    /// <summary>Whether the plan runs <c>socket-echo</c>, the physical reference of a unary run over its connections: a unary run against bench's own server, given <c>--connections</c>.</summary>
    public bool HasSocketEcho => ConnectionsGiven && Target is null && Instances is null && Settings.Scenario == BenchScenario.Unary;
}
