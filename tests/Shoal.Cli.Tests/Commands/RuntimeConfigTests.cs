using System.Text.Json;
using Shoal.Cli.Tests.Infrastructure;

namespace Shoal.Cli.Tests.Commands;

/// <summary>The GC settings the built <c>shoal</c> process runs with (its runtimeconfig.json).</summary>
public sealed class RuntimeConfigTests
{
    [Fact]
    public void ShoalProcess_AllocatesAOneMebibyteMessageOutsideTheLargeObjectHeap()
    {
        var path = Path.ChangeExtension(CliProcess.AssemblyPath, ".runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllText(path));

        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.True(properties.TryGetProperty("System.GC.LOHThreshold", out var threshold), "shoal.runtimeconfig.json sets no System.GC.LOHThreshold");
        // A byte[] of 1 MiB plus its object header must be under the threshold.
        Assert.True(threshold.GetInt64() > (1024 * 1024) + 64, $"LOHThreshold {threshold.GetInt64()} puts a 1 MiB array in the large object heap");
    }
}
