namespace Shoal.Server.Registry;

/// <summary>
/// Who may call the embedded registry and how much one client connection may hold (configuration
/// section <c>Shoal:Registry</c>). With <see cref="TokenFile"/> set, every call must carry
/// <c>authorization: Bearer &lt;token&gt;</c>; without it the registry is open to anyone who can
/// reach it, so a Shoal host refuses to serve it on a non-loopback address unless
/// <see cref="AllowUnauthenticated"/> says so.
/// </summary>
public sealed class EmbeddedRegistryOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Shoal:Registry";

    /// <summary>
    /// A file holding the shared token of the registry's members (surrounding whitespace is
    /// ignored; it must not be empty). Null: the registry accepts calls without a token.
    /// </summary>
    public string? TokenFile { get; set; }

    /// <summary>
    /// Serve without a token on an address other than loopback (a trusted network, or a mesh that
    /// authenticates peers itself). Default false: such a host fails to start.
    /// </summary>
    public bool AllowUnauthenticated { get; set; }

    /// <summary>Live leases one client connection may hold; a Register past it fails with <c>ResourceExhausted</c>. Default 1,000.</summary>
    public int MaxLeasesPerConnection { get; set; } = 1_000;

    /// <summary>Open watch streams one client connection may hold; a Watch past it fails with <c>ResourceExhausted</c>. Default 100.</summary>
    public int MaxWatchesPerConnection { get; set; } = 100;
}
