using Microsoft.Extensions.Options;
using Shoal.Client.Native.Internal;
using Shoal.Client.Native.Protocol;

namespace Shoal.Client.Native;

/// <summary>Rejects <see cref="NativeClientOptions"/> a connection cannot run with, naming each setting at fault.</summary>
public sealed class NativeClientOptionsValidator : IValidateOptions<NativeClientOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, NativeClientOptions options)
    {
        var failures = Failures(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The largest message limit a frame can carry (1 GiB minus the allowance for method and metadata).</summary>
    internal const int MaxMessageLimit = (int)(ProtocolConstants.AbsoluteMaxFrameLength - ProtocolConstants.MetadataAllowance);

    /// <summary>One message per invalid setting, each named with <paramref name="keyPrefix"/> in front.</summary>
    public static IReadOnlyList<string> Failures(NativeClientOptions options, string keyPrefix = "")
    {
        ArgumentNullException.ThrowIfNull(options);
        var rules = new OptionRules(keyPrefix);
        rules.Between(nameof(options.MaxReceiveMessageSize), options.MaxReceiveMessageSize, 1, MaxMessageLimit);
        rules.Between(nameof(options.MaxSendMessageSize), options.MaxSendMessageSize, 1, MaxMessageLimit);
        rules.Between(nameof(options.ConnectionWindowSize), options.ConnectionWindowSize, ProtocolConstants.DefaultInitialWindow, int.MaxValue);
        rules.Between(nameof(options.StreamWindowSize), options.StreamWindowSize, ProtocolConstants.DefaultInitialWindow, ProtocolConstants.MaxHonouredWindow);
        rules.Between(nameof(options.MaxOutputBufferSize), options.MaxOutputBufferSize, 1024, int.MaxValue);
        rules.PositiveOrInfinite(nameof(options.KeepAliveInterval), options.KeepAliveInterval);
        rules.Positive(nameof(options.KeepAliveTimeout), options.KeepAliveTimeout);
        rules.Positive(nameof(options.ConnectTimeout), options.ConnectTimeout);
        rules.Between(nameof(options.ReceivePollTime), options.ReceivePollTime, TimeSpan.Zero, NativeClientOptions.MaxReceivePollTime);
        return rules.Failures;
    }
}
