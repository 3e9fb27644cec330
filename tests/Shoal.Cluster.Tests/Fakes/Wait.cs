namespace Shoal.Cluster.Tests.Fakes;

/// <summary>Bounded waits for things that happen on other threads.</summary>
public static class Wait
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static async Task<T> WithTimeout<T>(this Task<T> task) => await task.WaitAsync(Timeout);

    public static async Task WithTimeout(this Task task) => await task.WaitAsync(Timeout);

    /// <summary>Polls <paramref name="condition"/> (yielding between checks) until it holds or the timeout passes.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        for (var i = 0; i < 1_000_000 && DateTime.UtcNow < deadline; i++)
        {
            if (condition())
            {
                return;
            }
            await Task.Delay(1);
        }
        Assert.Fail($"Timed out waiting for {what}.");
    }
}
