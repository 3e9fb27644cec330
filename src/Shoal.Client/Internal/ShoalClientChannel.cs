using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Shoal.Client.Internal;

/// <summary>The one channel every <typeparamref name="TClient"/> from DI shares; created on first use, disposed with the container.</summary>
internal sealed class ShoalClientChannel<TClient>(IOptionsMonitor<ShoalClientOptions> options, ILoggerFactory? loggerFactory = null) : IAsyncDisposable, IDisposable
    where TClient : ClientBase
{
    private readonly Lazy<ShoalChannel> _channel = new(() => Create(options.Get(ShoalClientServiceCollectionExtensions.ClientName<TClient>()), loggerFactory));

    public ShoalChannel Channel => _channel.Value;

    public static TClient CreateClient(ShoalChannel channel)
    {
        // Generated clients have a public constructor taking a CallInvoker.
        return (TClient)Activator.CreateInstance(typeof(TClient), channel.CreateCallInvoker())!;
    }

    public ValueTask DisposeAsync() => _channel.IsValueCreated ? _channel.Value.DisposeAsync() : ValueTask.CompletedTask;

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static ShoalChannel Create(ShoalClientOptions options, ILoggerFactory? loggerFactory)
    {
        if (string.IsNullOrWhiteSpace(options.Target))
        {
            var section = $"{ShoalClientOptions.SectionName}:{ShoalClientServiceCollectionExtensions.ConfigurationName<TClient>()}:Target";
            throw new InvalidOperationException($"No target for {typeof(TClient).Name}: pass one to AddShoalClient or set configuration key {section}.");
        }
        options.Channel.LoggerFactory ??= loggerFactory;
        return ShoalChannel.ForTarget(options.Target, options.Channel);
    }
}
