using System.Text.Json;
using Shoal.Cli.Tests.Infrastructure;

namespace Shoal.Cli.Tests.Commands;

/// <summary>The GC and thread-pool settings the built <c>shoal</c> process runs with (its runtimeconfig.json).</summary>
public sealed class RuntimeConfigTests
{
    [Fact]
    public void ShoalProcess_AllocatesAOneMebibyteMessageOutsideTheLargeObjectHeap()
    {
        var properties = ConfigProperties();
        Assert.True(properties.TryGetProperty("System.GC.LOHThreshold", out var threshold), "shoal.runtimeconfig.json sets no System.GC.LOHThreshold");
        // A byte[] of 1 MiB plus its object header must be under the threshold.
        Assert.True(threshold.GetInt64() > (1024 * 1024) + 64, $"LOHThreshold {threshold.GetInt64()} puts a 1 MiB array in the large object heap");
    }

    [Fact]
    public void ShoalProcess_IdleThreadPoolWorkersDoNotSpin()
    {
        var properties = ConfigProperties();
        Assert.True(properties.TryGetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", out var limit), "shoal.runtimeconfig.json sets no System.Threading.ThreadPool.UnfairSemaphoreSpinLimit");
        Assert.Equal(0, limit.GetInt32());
    }

    private static JsonElement ConfigProperties()
    {
        var path = Path.ChangeExtension(CliProcess.AssemblyPath, ".runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllText(path));
        return config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").Clone();
    }
}
