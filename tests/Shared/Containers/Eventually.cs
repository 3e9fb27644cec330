namespace Shoal.Tests.Containers;

/// <summary>Bounded waits for functional tests: poll until a condition holds or a time limit passes.</summary>
public static class Eventually
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(250);

    /// <summary>Polls <paramref name="attempt"/> until it returns a value, failing the test after <paramref name="timeout"/>.</summary>
    /// <param name="what">What is awaited, for the failure message.</param>
    /// <param name="timeout">The limit.</param>
    /// <param name="attempt">Returns the value once ready, or null; exceptions count as not ready.</param>
    /// <returns>The first value returned.</returns>
    public static async Task<T> GetAsync<T>(string what, TimeSpan timeout, Func<Task<T?>> attempt)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        for (var tries = 0; tries < 10_000; tries++)
        {
            try
            {
                if (await attempt() is { } value)
                {
                    return value;
                }
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                last = e;
            }
            if (DateTime.UtcNow >= deadline)
            {
                break;
            }
            await Task.Delay(Pause);
        }
        Assert.Fail($"{what}: not within {timeout}{(last is null ? "" : $" (last error: {last.Message})")}");
        return null!;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, failing the test after <paramref name="timeout"/>.</summary>
    public static Task UntilAsync(string what, TimeSpan timeout, Func<Task<bool>> condition) =>
        GetAsync(what, timeout, async () => await condition() ? new object() : null);
}
