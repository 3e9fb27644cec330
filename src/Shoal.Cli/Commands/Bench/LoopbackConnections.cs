using System.Globalization;

namespace Shoal.Cli.Commands.Bench;

/// <summary>
/// Counts established TCP connections whose local port is one of some servers' ports, from
/// <c>/proc/net/tcp</c> and <c>/proc/net/tcp6</c>: how bench knows, from outside the client, that a
/// cluster channel has dialled every instance.
/// </summary>
internal static class LoopbackConnections
{
    private const string Established = "01";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Polls until at least <paramref name="expected"/> connections are established to <paramref name="ports"/> or <paramref name="timeout"/> passes; returns the last count (0 where /proc is not there).</summary>
    public static async Task<int> WaitForAsync(IReadOnlyList<int> ports, int expected, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var set = ports.ToHashSet();
        while (true)
        {
            var count = Count(set);
            if (count >= expected || DateTime.UtcNow >= deadline || count < 0)
            {
                return Math.Max(count, 0);
            }
            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Established connections to <paramref name="ports"/> in this network namespace; -1 where /proc/net/tcp cannot be read.</summary>
    public static int Count(IReadOnlySet<int> ports)
    {
        var total = 0;
        var read = false;
        foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            read = true;
            total += CountIn(text, ports);
        }
        return read ? total : -1;
    }

    /// <summary>
    /// Counts the lines of one <c>/proc/net/tcp</c> table in state ESTABLISHED whose local address
    /// (<c>hexaddress:hexport</c>, the second column) has one of <paramref name="ports"/>.
    /// </summary>
    internal static int CountIn(string table, IReadOnlySet<int> ports)
    {
        var count = 0;
        foreach (var line in table.Split('\n'))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4 || fields[3] != Established)
            {
                continue;
            }
            var colon = fields[1].LastIndexOf(':');
            if (colon > 0 && int.TryParse(fields[1].AsSpan(colon + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var port) && ports.Contains(port))
            {
                count++;
            }
        }
        return count;
    }
}
