using System.Text.Json;

namespace Shoal.Cli.Tests.Dashboard;

/// <summary>Reads the dashboard's <c>/events</c> stream with <see cref="HttpClient"/> until a snapshot matches, bounded in time.</summary>
internal static class DashboardEventStream
{
    /// <summary>The first snapshot for which <paramref name="match"/> holds; throws <see cref="TimeoutException"/> with the last one seen.</summary>
    public static async Task<JsonElement> WaitForAsync(Uri page, Func<JsonElement, bool> match, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        using var http = new HttpClient { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        using var response = await http.GetAsync(new Uri(page, "events"), HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
        var last = "(none)";
        try
        {
            while (await reader.ReadLineAsync(cancel.Token) is { } line)
            {
                if (!line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    continue;
                }
                last = line["data: ".Length..];
                using var document = JsonDocument.Parse(last);
                if (match(document.RootElement))
                {
                    return document.RootElement.Clone();
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
        }
        throw new TimeoutException($"No dashboard snapshot matched within {timeout.TotalSeconds:0} s; the last: {last}");
    }

    /// <summary>The ids of <paramref name="service"/>'s instances in a snapshot.</summary>
    public static IReadOnlyList<string> InstanceIds(JsonElement snapshot, string service) =>
        snapshot.GetProperty("services").EnumerateArray()
            .Where(s => s.GetProperty("name").GetString() == service)
            .SelectMany(s => s.GetProperty("instances").EnumerateArray())
            .Select(i => i.GetProperty("id").GetString()!)
            .ToList();
}
