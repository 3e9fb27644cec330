using System.Text.RegularExpressions;

namespace Shoal.FunctionalTests.Support;

/// <summary>The embedded registry (tests/Shoal.FunctionalTests.RegistryHost) as its own process.</summary>
public sealed partial class EmbeddedRegistryProcess : IRegistryUnderTest
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(40);

    private ChildProcess _process;

    private EmbeddedRegistryProcess(ChildProcess process, string address)
    {
        _process = process;
        ServerAddress = address;
    }

    /// <inheritdoc/>
    public string ServerAddress { get; }

    /// <summary>Starts the registry on a free port and waits for its address line.</summary>
    public static async Task<EmbeddedRegistryProcess> StartAsync()
    {
        var process = Launch(0);
        try
        {
            var match = await process.WaitForLineAsync(AddressLine(), StartTimeout).ConfigureAwait(false);
            return new EmbeddedRegistryProcess(process, match.Value);
        }
        catch
        {
            await process.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc/>
    public string TargetFor(string service) => $"{ServerAddress}/{service}";

    /// <inheritdoc/>
    public async Task StopAsync()
    {
        _process.Kill();
        await _process.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task RestartAsync()
    {
        var port = int.Parse(ServerAddress[(ServerAddress.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        _process = Launch(port);
        await _process.WaitForLineAsync(AddressLine(), StartTimeout).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static ChildProcess Launch(int port)
        => ChildProcess.StartDotnet("registry", Binaries.RegistryHost, ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

    [GeneratedRegex(@"^registry://127\.0\.0\.1:\d+$")]
    private static partial Regex AddressLine();
}
