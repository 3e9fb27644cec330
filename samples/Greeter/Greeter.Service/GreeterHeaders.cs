using System.Globalization;
using Grpc.Core;

namespace Hello;

/// <summary>The request headers the sample services understand.</summary>
public static class GreeterHeaders
{
    /// <summary>Milliseconds to wait before answering.</summary>
    public const string Delay = "x-delay-ms";

    /// <summary>A status code name or number to fail the call with.</summary>
    public const string FailCode = "x-fail-code";

    internal static TimeSpan? DelayOf(ServerCallContext context)
    {
        var value = context.RequestHeaders.GetValue(Delay);
        return value is not null && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? TimeSpan.FromMilliseconds(ms)
            : null;
    }

    internal static StatusCode? FailureOf(ServerCallContext context)
    {
        var value = context.RequestHeaders.GetValue(FailCode);
        if (value is null)
        {
            return null;
        }
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && Enum.IsDefined(typeof(StatusCode), number))
        {
            return (StatusCode)number;
        }
        return Enum.TryParse<StatusCode>(value, ignoreCase: true, out var code) ? code : StatusCode.Unknown;
    }

    internal static void ThrowIfFailureRequested(ServerCallContext context)
    {
        if (FailureOf(context) is { } code)
        {
            throw new RpcException(new Status(code, $"Failure requested with {FailCode}: {code}."));
        }
    }
}
