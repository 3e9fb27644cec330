using Microsoft.Extensions.Options;
using Shoal.Client.Native;
using Shoal.Client.Native.Internal;
using Shoal.Client.Native.Protocol;

namespace Shoal.Server.Native;

/// <summary>Rejects <see cref="NativeServerOptions"/> a server cannot run with, naming each setting at fault.</summary>
public sealed class NativeServerOptionsValidator : IValidateOptions<NativeServerOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, NativeServerOptions options)
    {
        var failures = Failures(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>One message per invalid setting, each named with <paramref name="keyPrefix"/> in front (such as <c>Shoal:Server:Native:</c>).</summary>
    public static IReadOnlyList<string> Failures(NativeServerOptions options, string keyPrefix = "")
    {
        ArgumentNullException.ThrowIfNull(options);
        var rules = new OptionRules(keyPrefix);
        rules.Between(nameof(options.MaxReceiveMessageSize), options.MaxReceiveMessageSize, 1, NativeClientOptionsValidator.MaxMessageLimit);
        rules.Between(nameof(options.MaxSendMessageSize), options.MaxSendMessageSize, 1, NativeClientOptionsValidator.MaxMessageLimit);
        rules.Between(nameof(options.MaxConcurrentCallsPerConnection), options.MaxConcurrentCallsPerConnection, 1, int.MaxValue);
        rules.Between(nameof(options.MaxConnections), options.MaxConnections, 1, int.MaxValue);
        rules.Between(nameof(options.FrameAssemblyBudget), options.FrameAssemblyBudget, 1, long.MaxValue);
        rules.Between(nameof(options.ConnectionWindowSize), options.ConnectionWindowSize, ProtocolConstants.DefaultInitialWindow, int.MaxValue);
        rules.Between(nameof(options.StreamWindowSize), options.StreamWindowSize, ProtocolConstants.DefaultInitialWindow, ProtocolConstants.MaxHonouredWindow);
        rules.Between(nameof(options.MaxOutputBufferSize), options.MaxOutputBufferSize, 1024, int.MaxValue);
        rules.Rate(nameof(options.MinReceiveDataRate), options.MinReceiveDataRate, nameof(options.MinReceiveDataRateGracePeriod), options.MinReceiveDataRateGracePeriod);
        rules.Rate(nameof(options.MinSendDataRate), options.MinSendDataRate, nameof(options.MinSendDataRateGracePeriod), options.MinSendDataRateGracePeriod);
        rules.Between(nameof(options.MaxCallResetsPerSecond), options.MaxCallResetsPerSecond, 0, int.MaxValue);
        rules.PositiveOrInfinite(nameof(options.IdleTimeout), options.IdleTimeout);
        rules.PositiveOrInfinite(nameof(options.KeepAliveInterval), options.KeepAliveInterval);
        rules.Positive(nameof(options.KeepAliveTimeout), options.KeepAliveTimeout);
        rules.Positive(nameof(options.HandshakeTimeout), options.HandshakeTimeout);
        return rules.Failures;
    }
}
