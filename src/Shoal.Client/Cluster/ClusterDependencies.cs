using Microsoft.Extensions.Logging;
using Shoal.Client.Cluster.Endpoints;
using Shoal.Client.Cluster.FaultTolerance;
using Shoal.Client.Cluster.LoadBalancing;

namespace Shoal.Client.Cluster;

/// <summary>What a <see cref="ClusterCallInvoker"/> uses besides its options: clock, randomness, logging, extra policies (from DI in a host).</summary>
public sealed class ClusterDependencies
{
    /// <summary>The clock. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The random source of the pickers; it must be safe for concurrent use in production. Default <see cref="Random.Shared"/>.</summary>
    public Random Random { get; init; } = Random.Shared;

    /// <summary>The logger factory; none by default.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Load-balancer factories beyond (or replacing, by name) the built-in ones.</summary>
    public IEnumerable<ILoadBalancerFactory> LoadBalancers { get; init; } = [];

    /// <summary>
    /// Reads instances' own load reports; used only when <see cref="LoadBalancingOptions.UseServerLoad"/>
    /// is on, and required then. Shoal.Client's ShoalChannel supplies one over <c>shoal.load.v1.LoadReporter</c>.
    /// </summary>
    public IEndpointLoadReporter? LoadReporter { get; init; }

    /// <summary>
    /// Service contracts to read <c>idempotency_level</c> from, for methods the cluster cannot find a
    /// descriptor for by itself: calls through non-protobuf marshallers (such as <c>shoal call</c>'s raw
    /// bytes) or services whose generated code is not loaded. Generated clients need none: their
    /// descriptors are found from the message types. Pass <c>Greeter.Descriptor</c> (the generated
    /// service class's) or a descriptor built from reflection. A registered service wins over the generated one.
    /// </summary>
    public IEnumerable<Google.Protobuf.Reflection.ServiceDescriptor> ServiceDescriptors { get; init; } = [];

    /// <summary>Strategy factories beyond (or replacing, by name) the built-in ones.</summary>
    public IEnumerable<IFaultToleranceStrategyFactory> Strategies { get; init; } = [];
}
