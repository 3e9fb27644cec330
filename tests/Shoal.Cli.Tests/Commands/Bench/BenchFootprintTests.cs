using Shoal.Cli.Commands;
using Shoal.Cli.Commands.Bench;
using Shoal.Cli.Commands.Bench.Scenarios;
using Shoal.Cli.Tests.Infrastructure;

namespace Shoal.Cli.Tests.Commands.Bench;

/// <summary>The memory and thread figures a run reports around its connections.</summary>
public sealed class BenchFootprintTests(ShoalGreeterServer shoal) : IClassFixture<ShoalGreeterServer>
{
    [Fact]
    public void Parse_ReadsRssAndThreads_AndNullWithoutThem()
    {
        const string status = "Name:\tshoal\nVmPeak:\t  900000 kB\nVmRSS:\t   123456 kB\nThreads:\t42\n";

        Assert.Equal(new ProcessFootprint(123456, 42), ProcessFootprint.Parse(status));
        Assert.Null(ProcessFootprint.Parse("Name:\tshoal\nThreads:\t42\n"));
        Assert.Null(ProcessFootprint.Parse("VmRSS:\tlots kB\nThreads:\t42\n"));
    }

    [Fact]
    public void PerConnection_IsTheGrowthDividedByTheConnections()
    {
        var footprint = new BenchFootprint
        {
            Connections = 100,
            ClientBefore = new ProcessFootprint(10_000, 20),
            ClientIdle = new ProcessFootprint(13_000, 120),
            ServerBefore = new ProcessFootprint(50_000, 30),
            ServerLoad = new ProcessFootprint(52_000, 31),
        };

        Assert.Equal(30.0, footprint.ClientKiBPerConnectionIdle);
        Assert.Equal(20.0, footprint.ServerKiBPerConnectionLoad);
        Assert.Null(footprint.ServerKiBPerConnectionIdle);
    }

    [Fact]
    public void PerAddedConnection_IsTheIdleGrowthOverTheOneInstanceRunDividedByTheConnectionsAdded()
    {
        var footprint = new BenchFootprint
        {
            Connections = 1000,
            ClientBefore = new ProcessFootprint(60_000, 20),
            ClientIdle = new ProcessFootprint(126_480, 21),
            OneInstanceClientIdle = new ProcessFootprint(68_524, 17),
            OneInstanceConnections = 20,
        };

        // (126,480 - 68,524) / 980, and against the sample before any connection (126,480 - 60,000) / 1,000.
        Assert.Equal(59.1, footprint.ClientKiBPerAddedConnectionIdle);
        Assert.Equal(66.5, footprint.ClientKiBPerConnectionIdle);
        Assert.Null((footprint with { OneInstanceClientIdle = null }).ClientKiBPerAddedConnectionIdle);
        Assert.Null((footprint with { OneInstanceConnections = 1000 }).ClientKiBPerAddedConnectionIdle);
        Assert.Null(new BenchFootprint { Connections = 5, ClientIdle = new ProcessFootprint(1, 1) }.ClientKiBPerAddedConnectionIdle);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ShortRun_ManyConnections_ReportsBothProcessesBeforeIdleAndUnderLoad(bool dedicatedReceiveThread)
    {
        var settings = new BenchSettings
        {
            Concurrency = 16,
            Connections = 16,
            Duration = TimeSpan.FromSeconds(1),
            Warmup = TimeSpan.FromSeconds(1),
            WarmupExtension = TimeSpan.Zero,
            DedicatedReceiveThread = dedicatedReceiveThread,
        };
        var io = new CommandIO(TextWriter.Null, TextWriter.Null, CancellationToken.None);

        // The server lives in this process here, so "server" and "client" are the same process: enough to check the wiring.
        var result = await BenchPlanRunner.RunOneAsync("run", shoal.Native, plainClient: false, settings, [Environment.ProcessId], io);

        Assert.True(result.Errors == 0, result.FirstError);
        var footprint = Assert.IsType<BenchFootprint>(result.Footprint);
        Assert.Equal(16, footprint.Connections);
        foreach (var sample in new[] { footprint.ClientBefore, footprint.ClientIdle, footprint.ClientLoad, footprint.ServerBefore, footprint.ServerIdle, footprint.ServerLoad })
        {
            Assert.NotNull(sample);
            Assert.True(sample.RssKiB > 0 && sample.Threads > 0);
        }
        // A dedicated receive thread per native connection shows in the thread count: 16 connections, a thread each, less
        // a margin of 4 for thread-pool threads that retire meanwhile (one did in a loaded run: 33 -> 48). Asynchronous receive adds none.
        if (dedicatedReceiveThread)
        {
            Assert.True(footprint.ClientIdle!.Threads >= footprint.ClientBefore!.Threads + 12, $"{footprint.ClientBefore.Threads} -> {footprint.ClientIdle.Threads}");
        }
    }
}
