using System.Globalization;
using Grpc.Core;

namespace Hello;

/// <summary>The request headers that shape one call of the CLI's Greeter without changing the contract.</summary>
internal static class GreeterHeaders
{
    /// <summary>Milliseconds to wait before answering.</summary>
    public const string Delay = "x-delay-ms";

    /// <summary>A status code name or number to fail the call with.</summary>
    public const string FailCode = "x-fail-code";

    /// <summary>The delay the call asks for, or null.</summary>
    public static TimeSpan? DelayOf(ServerCallContext context)
        => context.RequestHeaders.GetValue(Delay) is { } value && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? TimeSpan.FromMilliseconds(ms)
            : null;

    /// <summary>The status the call asks to fail with (an unknown name is <see cref="StatusCode.Unknown"/>), or null.</summary>
    public static StatusCode? FailureOf(ServerCallContext context)
    {
        if (context.RequestHeaders.GetValue(FailCode) is not { } value)
        {
            return null;
        }
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && Enum.IsDefined(typeof(StatusCode), number))
        {
            return (StatusCode)number;
        }
        return Enum.TryParse<StatusCode>(value, ignoreCase: true, out var code) ? code : StatusCode.Unknown;
    }

    /// <summary>Fails the call when it asks to be failed.</summary>
    public static void ThrowIfFailureRequested(ServerCallContext context)
    {
        if (FailureOf(context) is { } code)
        {
            throw new RpcException(new Status(code, $"Failure requested with {FailCode}: {code}."));
        }
    }
}
