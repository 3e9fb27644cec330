using System.Text.Json;
using Shoal.FunctionalTests.Support;
using Shoal.Shop.Tests.Support;

namespace Shoal.Shop.Tests;

/// <summary>
/// <c>shoal demo --app shop</c> as a real process, shortened: the registry, the shop's programs,
/// the autoscaler on Inventory, the order load, the SIGKILL and the SIGTERM, and the promises.
/// </summary>
public sealed class ShopDemoTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(240);

    [Fact]
    public async Task ShortShopDemo_WithSigkillAndSigterm_NoFailedOrderNoDoubleChargeNoLostStock()
    {
        await using var demo = ChildProcess.StartDotnet("shoal", ShopBinaries.Shoal, ["demo", "--app", "shop", "--duration", "40s", "--json"]);
        var exitCode = await demo.WaitForExitAsync(Limit);

        var json = demo.Output.Split('\n').LastOrDefault(l => l.StartsWith('{')) ?? "";
        Assert.True(exitCode == 0 && json.Length > 0, $"exit {exitCode}:\n{demo.Output}");
        using var document = JsonDocument.Parse(json);
        var report = document.RootElement;
        Assert.True(report.GetProperty("orders").GetInt64() > 500, json);
        Assert.Equal(0, report.GetProperty("failed").GetInt64());
        Assert.Equal(0, report.GetProperty("double_charges").GetInt64());
        Assert.Equal(0, report.GetProperty("lost_stock").GetInt64());
        Assert.True(report.GetProperty("declined").GetInt64() > 0, "no declined order: the compensation was not exercised");
        Assert.Equal(report.GetProperty("placed").GetInt64(), report.GetProperty("charges_approved").GetInt64());
        Assert.Equal(report.GetProperty("sold_units").GetInt64(), report.GetProperty("reserved_units").GetInt64());
        foreach (var service in new[] { "client", "orders", "inventory", "payment", "shipping" })
        {
            Assert.True(report.GetProperty("p99_ms").GetProperty(service).GetDouble() > 0, $"no p99 for {service}: {json}");
        }
        Assert.True(report.GetProperty("scale_outs").GetInt32() >= 1, json);
        Assert.True(report.GetProperty("scale_ins").GetInt32() >= 0);
        Assert.NotEqual(0, report.GetProperty("killed_pid").GetInt32());
        Assert.NotEqual(0, report.GetProperty("terminated_pid").GetInt32());
        var events = report.GetProperty("events").EnumerateArray().ToList();
        Assert.Contains(events, e => e.GetProperty("kind").GetString() == "restarted" && e.GetProperty("service").GetString() == "inventory");
        Assert.Contains(events, e => e.GetProperty("kind").GetString() == "restarted" && e.GetProperty("service").GetString() == "payment");
        Assert.Empty(report.GetProperty("processes_left").EnumerateArray());
        Assert.All(report.GetProperty("processes").EnumerateArray(), pid => Assert.False(File.Exists($"/proc/{pid.GetInt32()}/cmdline") && !IsZombie(pid.GetInt32()), $"pid {pid} outlived the demo"));
    }

    [Theory]
    [InlineData("--app", "bazaar")]
    [InlineData("--app", "shop", "--html", "x.html")]
    [InlineData("--app", "shop", "--min-replicas", "5", "--max-replicas", "3")]
    [InlineData("--app", "shop", "--shop-dir", "/nonexistent/shop")]
    public async Task ShopDemo_BadFlags_ExitsWithUsageErrorOnOneLine(params string[] flags)
    {
        await using var demo = ChildProcess.StartDotnet("shoal", ShopBinaries.Shoal, ["demo", .. flags]);
        var exitCode = await demo.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exitCode != 0, demo.Output);
        Assert.DoesNotContain("   at ", demo.Output, StringComparison.Ordinal);
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return true;
        }
    }
}
