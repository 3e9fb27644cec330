using Shoal.Client.Native.Protocol;

namespace Shoal.Client.Native.Internal;

/// <summary>The peer broke the protocol: the connection ends with a GoAway carrying <see cref="Code"/>.</summary>
internal class ProtocolException(GoAwayCode code, string message) : Exception(message)
{
    public GoAwayCode Code { get; } = code;

    public static ProtocolException Malformed(string what) => new(GoAwayCode.ProtocolError, "Malformed frame: " + what);
}
