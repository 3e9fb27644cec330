using Hello;

namespace Shoal.Transport.Native.Tests.Infrastructure;

/// <summary>
/// Large SayHello calls whose every character is checkable: the traffic of the tests that pin large
/// requests and responses (a block lost, repeated or moved shows in the reply).
/// </summary>
internal static class LargeGreetings
{
    private const int KiB = 1024;

    /// <summary>Sizes around the edges that matter: a 64 KiB read buffer, a frame split across reads, a large object, several MiB.</summary>
    public static readonly int[] EdgeSizes = [(64 * KiB) - 6, (64 * KiB) + 1, 200_000, 1024 * KiB, (3 * 1024 * KiB) + 17];

    /// <summary>A name of <paramref name="size"/> characters with a period of 26, offset by the size.</summary>
    public static string Name(int size) => string.Create(size, size, static (span, seed) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = (char)('a' + ((i + seed) % 26));
        }
    });

    /// <summary>Says hello to a name of each size in turn and checks every reply.</summary>
    public static async Task SayEachSizeAsync(Greeter.GreeterClient client, IEnumerable<int> sizes)
    {
        foreach (var size in sizes)
        {
            var name = Name(size);
            var reply = await client.SayHelloAsync(new HelloRequest { Name = name }).ResponseAsync.Within();

            Assert.True(reply.Message == "Hello " + name, $"the reply to a request of {size} characters differs from it");
        }
    }

    /// <summary>
    /// Three callers with six 300 KiB calls each and eight callers with a hundred small ones, all on
    /// <paramref name="client"/>'s connection at once; every reply must be its own request's, within 60 s.
    /// </summary>
    public static async Task InterleaveWithSmallCallsAsync(Greeter.GreeterClient client)
    {
        var large = Enumerable.Range(0, 3).Select(caller => Task.Run(async () =>
        {
            for (var i = 0; i < 6; i++)
            {
                var name = Name((300 * KiB) + (caller * 1000) + i);
                var reply = await client.SayHelloAsync(new HelloRequest { Name = name }).ResponseAsync;
                Assert.True(reply.Message == "Hello " + name, $"large reply {i} of caller {caller} differs from its request");
            }
        }));
        var small = Enumerable.Range(0, 8).Select(caller => Task.Run(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                var reply = await client.SayHelloAsync(new HelloRequest { Name = $"{caller}-{i}" }).ResponseAsync;
                Assert.Equal($"Hello {caller}-{i}", reply.Message);
            }
        }));

        await Task.WhenAll(large.Concat(small)).Within(TimeSpan.FromSeconds(60));
    }
}
