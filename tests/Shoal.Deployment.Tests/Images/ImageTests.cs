using System.Text.Json;
using Shoal.Deployment.Tests.Infrastructure;
using Shoal.Tests.Containers;
using Xunit.Abstractions;

namespace Shoal.Deployment.Tests.Images;

/// <summary>What deploy/build-images.sh makes, read back from podman.</summary>
[Collection(ContainersCollection.Name)]
[Trait("Category", "Containers")]
public sealed class ImageTests(DeploymentImages images, ITestOutputHelper output)
{
    public static TheoryData<string> Names() => ["greeter", "shoal", "shop"];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Image_Inspected_RunsAsUid1654WithTheShoalPortsAndStopsOnSigterm(string name)
    {
        await images.RequireAsync();
        var image = images.Image(name);
        output.WriteLine(images.Summary);

        var config = await Podman.InspectAsync(image, ".Config");
        Assert.Equal("1654:1654", config.GetProperty("User").GetString());
        Assert.Equal("SIGTERM", config.GetProperty("StopSignal").GetString());
        // The shop image holds four programs: the command names one, so it has no entry point.
        string[] entrypoint = name == "shop" ? [] : ["/app/entrypoint"];
        var actual = config.TryGetProperty("Entrypoint", out var e) && e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().Select(x => x.GetString()).ToArray() : [];
        Assert.Equal(entrypoint, actual);
        var ports = config.GetProperty("ExposedPorts").EnumerateObject().Select(p => p.Name).Order().ToArray();
        Assert.Equal(["7000/tcp", "7001/tcp"], ports);
    }

    [Theory]
    [InlineData("orders")]
    [InlineData("inventory")]
    [InlineData("payment")]
    [InlineData("shipping")]
    public async Task ShopImage_ProgramNamedByTheCommand_RunsThatProgram(string program)
    {
        await images.RequireAsync();

        // A port that is not a number: the program starts, reads its settings and stops with its own one-line error.
        var run = await Podman.TryRunAsync("run", "--rm", images.Image("shop"), program,
            "--db", "/tmp/shop.db", "--registry", "registry://127.0.0.1:1", "--tcp-port", "not-a-port");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"shop-{program}: cannot run: Failed to convert configuration value 'not-a-port'", run.Error.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShopImage_Size_IsOneRuntimeForTheFourPrograms()
    {
        await images.RequireAsync();
        var shop = (await Podman.InspectAsync(images.Image("shop"), ".Size")).GetInt64();
        var greeter = (await Podman.InspectAsync(images.Image("greeter"), ".Size")).GetInt64();
        output.WriteLine($"shop image: {shop / 1e6:F1} MB, greeter image: {greeter / 1e6:F1} MB");
        // Four programs sharing one runtime: 128 MB measured against the Greeter's 127 MB; four
        // self-contained copies would be about 4 x 115 MB, so 1.5 times the Greeter cannot pass.
        Assert.InRange(shop, greeter / 2, greeter * 3 / 2);
    }

    [Fact]
    public async Task GreeterImage_Size_IsTheAppAndAFewLibrariesNotADistribution()
    {
        await images.RequireAsync();
        var size = (await Podman.InspectAsync(images.Image("greeter"), ".Size")).GetInt64();
        output.WriteLine($"greeter image: {size / 1e6:F1} MB");
        // The self-contained Greeter is about 114 MB and the base 13 MB (127 MB measured); a base with a
        // Debian userland (minbase: 131 MB more) or a second copy of the runtime would pass 200 MB.
        Assert.InRange(size, 50_000_000, 200_000_000);
    }

    [Fact]
    public async Task GreeterImage_Run_HasNoShellToExecInto()
    {
        await images.RequireAsync();
        var run = await Podman.TryRunAsync("run", "--rm", "--entrypoint", "/bin/sh", images.Image("greeter"), "-c", "true");
        Assert.False(run.Succeeded, "the image has a shell");
        Assert.Contains("no such file or directory", run.Error, StringComparison.OrdinalIgnoreCase);
    }
}
