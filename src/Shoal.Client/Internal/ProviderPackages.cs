namespace Shoal.Client.Internal;

/// <summary>
/// The provider packages that handle target and registry schemes Shoal's client does not,
/// so an address with such a scheme fails naming the package and the call that plugs it in.
/// </summary>
internal static class ProviderPackages
{
    /// <summary>A sentence naming the package and calls for <paramref name="scheme"/>, or empty when none is known.</summary>
    public static string HintFor(string scheme) => scheme.ToLowerInvariant() switch
    {
        "etcd" => " etcd:// needs the Shoal.Registry.Etcd package: call ShoalChannelOptions.UseEtcd() for a channel, or services.AddShoalEtcd() for a server and its DI clients.",
        _ => "",
    };
}
