using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Shoal.Server.Native.Internal;

/// <summary>What one method's endpoint metadata asks of its native calls, read once at its first call.</summary>
/// <param name="Endpoint">The endpoint the metadata came from (set on the call's <see cref="HttpContext"/>), if any.</param>
/// <param name="Evaluate">Whether calls are authenticated (and authorized unless anonymous calls are allowed).</param>
/// <param name="Refuse">Whether every call is refused: the metadata asks for what the server cannot evaluate.</param>
/// <param name="AllowAnonymous">Whether <see cref="IAllowAnonymous"/> skips authorization after authentication.</param>
/// <param name="Combined">The combined policy when the policy provider allows caching it; otherwise combined per call.</param>
internal sealed record NativeMethodPolicy(
    Endpoint? Endpoint,
    bool Evaluate,
    bool Refuse,
    bool AllowAnonymous,
    AuthorizationPolicy? Combined)
{
    public static readonly NativeMethodPolicy Open = new(null, Evaluate: false, Refuse: false, AllowAnonymous: false, Combined: null);
}
