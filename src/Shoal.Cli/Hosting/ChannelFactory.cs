using Grpc.Net.Client;
using Shoal.Cli.Commands;
using Shoal.Client;
using Shoal.Registry.Etcd;
using Shoal.Targets;

namespace Shoal.Cli.Hosting;

/// <summary>Channels for the commands: a <see cref="ShoalChannel"/> for any target, or plain grpc-dotnet for the benchmark's peer.</summary>
internal static class ChannelFactory
{
    private static readonly string[] DirectSchemes = ["shoal", "http", "https"];

    /// <summary>The cluster schemes named in an unknown-scheme error, each listed only when a resolver of the channel handles it.</summary>
    private static readonly string[] ClusterSchemes = ["static", "dns", "registry", "etcd"];

    /// <summary>A Shoal channel for <paramref name="target"/>; a malformed target is a usage error.</summary>
    public static ShoalChannel CreateShoal(string target, ShoalChannelOptions? options = null)
    {
        if (!ShoalTarget.TryParse(target, out var parsed, out var error))
        {
            throw new UsageException(error);
        }
        // The tool offers every provider it ships: etcd:// targets resolve through Shoal.Registry.Etcd.
        options = (options ?? new ShoalChannelOptions()).UseEtcd();
        var resolvers = options.CreateResolverFactories();
        if (!parsed.IsDirect && !resolvers.Any(resolver => resolver.Supports(parsed.Scheme)))
        {
            var known = DirectSchemes.Concat(ClusterSchemes.Where(scheme => resolvers.Any(resolver => resolver.Supports(scheme))));
            throw new UsageException($"unknown target scheme '{parsed.Scheme}://' in '{target}'; the schemes shoal knows are {string.Join(", ", known.Select(s => s + "://"))}.");
        }
        try
        {
            return ShoalChannel.ForTarget(target, options);
        }
        catch (FormatException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    /// <summary>
    /// The channel options for a command: null (the defaults) unless <paramref name="idempotent"/>, which
    /// marks every method the command's channel calls idempotent (<c>Cluster.DefaultMethod.Idempotent</c>),
    /// overriding the contract, so failover and hedging may retry a call that may have reached an instance.
    /// A target's <c>?strategy=</c> still applies: it sets the same default policy's strategy.
    /// </summary>
    public static ShoalChannelOptions? Options(bool idempotent)
    {
        if (!idempotent)
        {
            return null;
        }
        var options = new ShoalChannelOptions();
        options.Cluster.DefaultMethod.Idempotent = true;
        return options;
    }

    /// <summary>A plain grpc-dotnet channel (no Shoal code) for an <c>http://</c> target.</summary>
    public static GrpcChannel CreatePlainGrpc(string target)
    {
        if (!ShoalTarget.TryParse(target, out var parsed, out var error))
        {
            throw new UsageException(error);
        }
        if (parsed.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"The grpc-dotnet client takes an http:// or https:// target; got '{target}'.");
        }
        return GrpcChannel.ForAddress($"{parsed.Scheme}://{parsed.Authority}");
    }
}
