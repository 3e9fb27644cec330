using Shoal.Deployment.Tests.Infrastructure;
using Shoal.Tests.Containers;
using Xunit.Abstractions;

namespace Shoal.Deployment.Tests.Images;

/// <summary>What deploy/build-images.sh makes, read back from podman.</summary>
[Collection(ContainersCollection.Name)]
[Trait("Category", "Containers")]
public sealed class ImageTests(DeploymentImages images, ITestOutputHelper output)
{
    public static TheoryData<string> Names() => ["greeter", "shoal"];

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
        Assert.Equal(["/app/entrypoint"], config.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()));
        var ports = config.GetProperty("ExposedPorts").EnumerateObject().Select(p => p.Name).Order().ToArray();
        Assert.Equal(["7000/tcp", "7001/tcp"], ports);
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
