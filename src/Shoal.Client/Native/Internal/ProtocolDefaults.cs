using Shoal.Client.Native.Protocol;

namespace Shoal.Client.Native.Internal;

/// <summary>Values both sides of this implementation use.</summary>
internal static class ProtocolDefaults
{
    /// <summary>The per-call receive window each side grants.</summary>
    public const int Window = ProtocolConstants.DefaultInitialWindow;
}
