using Shoal.Client.Cluster;
using Shoal.Client.Cluster.FaultTolerance;
using Shoal.Client.Cluster.LoadBalancing;
using Shoal.Instances;
using Shoal.Targets;

namespace Shoal.Client.Internal;

/// <summary>
/// Applies a cluster target's query (<c>?lb=round_robin&amp;strategy=failover&amp;transport=grpc&amp;zone=a&amp;serverload=true</c>)
/// to a copy of the channel's <see cref="ClusterOptions"/>. Names are checked here, so a typo in a
/// target fails with a <see cref="FormatException"/> naming the key and the known values.
/// </summary>
internal static class ClusterTargetOptions
{
    public const string LoadBalancerKey = "lb";
    public const string StrategyKey = "strategy";
    public const string TransportKey = "transport";
    public const string ZoneKey = "zone";
    public const string ServiceKey = "service";
    public const string ServerLoadKey = "serverload";

    /// <summary>The cluster options for <paramref name="target"/>: the channel's, with the query's choices on top.</summary>
    public static ClusterOptions For(ShoalTarget target, ShoalChannelOptions options)
    {
        var source = options.Cluster ?? new ClusterOptions();
        var cluster = OptionsCopy.Shallow(source);
        cluster.Transports = [.. source.Transports ?? []];
        cluster.Methods = new Dictionary<string, MethodPolicy>(source.Methods ?? new Dictionary<string, MethodPolicy>(), StringComparer.Ordinal);

        var hasLb = target.Query.TryGetValue(LoadBalancerKey, out var lb);
        var hasServerLoad = target.Query.TryGetValue(ServerLoadKey, out var serverLoad);
        if (hasLb || hasServerLoad)
        {
            cluster.LoadBalancing = OptionsCopy.Shallow(source.LoadBalancing ?? new LoadBalancingOptions());
        }
        if (hasLb)
        {
            var known = ClusterFactories.BuiltInLoadBalancers().Concat(options.LoadBalancerFactories).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
            Require(target, LoadBalancerKey, lb!, known);
            cluster.LoadBalancing.Policy = lb!;
        }
        if (hasServerLoad)
        {
            cluster.LoadBalancing.UseServerLoad = bool.TryParse(serverLoad, out var use)
                ? use
                : throw new FormatException($"The target '{target}' has {ServerLoadKey}={serverLoad}; expected true or false.");
        }
        if (target.Query.TryGetValue(StrategyKey, out var strategy))
        {
            var known = ClusterFactories.BuiltInStrategies().Concat(options.StrategyFactories).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
            Require(target, StrategyKey, strategy, known);
            cluster.DefaultMethod = OptionsCopy.Shallow(source.DefaultMethod ?? new MethodPolicy());
            cluster.DefaultMethod.Strategy = strategy;
        }
        if (target.Query.TryGetValue(TransportKey, out var transport))
        {
            cluster.Transports = transport.ToLowerInvariant() switch
            {
                "native" or "shoal" => [TransportKind.Native],
                "grpc" or "http" or "https" => [TransportKind.Grpc],
                _ => throw new FormatException($"The target '{target}' has transport={transport}; expected native or grpc."),
            };
        }
        if (target.Query.TryGetValue(ZoneKey, out var zone))
        {
            cluster.Zone = zone;
        }
        return cluster;
    }

    /// <summary>
    /// The service a cluster target names: the path of <c>registry://</c> and <c>etcd://</c>
    /// targets, else <c>?service=</c>, else the DNS name or <c>static</c> (static and DNS
    /// instances serve whatever service is asked for).
    /// </summary>
    public static string ServiceOf(ShoalTarget target)
    {
        if (target.Scheme is "registry" or "etcd")
        {
            return target.Path;
        }
        if (target.Query.TryGetValue(ServiceKey, out var service) && !string.IsNullOrWhiteSpace(service))
        {
            return service;
        }
        return target.Path.Length > 0 ? target.Path : target.Scheme;
    }

    private static void Require(ShoalTarget target, string key, string value, HashSet<string> known)
    {
        if (!known.Contains(value))
        {
            throw new FormatException($"The target '{target}' has {key}={value}, which is unknown; expected one of {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
        }
    }
}
