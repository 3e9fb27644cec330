namespace Shoal.FunctionalTests.TraceHost;

/// <summary>
/// How the Inventory role answers Reserve: after <see cref="Value"/>, or, once "hold" was read on
/// stdin, never (until the call is cancelled), so the test can kill the instance while it holds a call.
/// </summary>
internal sealed class ReserveDelay(TimeSpan value)
{
    private volatile bool _holding;

    /// <summary>How long each call is held while not <see cref="Holding"/>.</summary>
    public TimeSpan Value { get; } = value;

    /// <summary>Whether calls are held until cancelled.</summary>
    public bool Holding => _holding;

    /// <summary>Reads stdin: "hold" holds every later call and prints "holding".</summary>
    public async Task ReadCommandsAsync()
    {
        while (await Console.In.ReadLineAsync() is { } line)
        {
            if (line == "hold")
            {
                _holding = true;
                Console.WriteLine("holding");
            }
        }
    }
}
