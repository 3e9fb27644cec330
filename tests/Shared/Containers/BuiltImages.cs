using System.Diagnostics;

namespace Shoal.Tests.Containers;

/// <summary>
/// The images deploy/build-images.sh makes, built once for all the tests of a test project under a
/// tag unique to the run, and removed when they are done. The base image stays: the script caches it
/// by its recipe, so only the first run on a machine builds it.
/// </summary>
public abstract class BuiltImages : IAsyncLifetime
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(15);
    private readonly string[] _only;
    private CommandResult? _build;
    private Exception? _failure;

    /// <summary>Creates the fixture for <paramref name="only"/> (every image when empty).</summary>
    protected BuiltImages(params string[] only)
    {
        _only = only;
    }

    /// <summary>Gets the tag of this run's images.</summary>
    public string Tag { get; } = Podman.UniqueName("t");

    /// <summary>Gets how long the script took (publishing included).</summary>
    public TimeSpan BuildTime { get; private set; }

    /// <summary>Gets the script's summary (one line per image: name, size, seconds).</summary>
    public string Summary => _build?.Output.Trim() ?? "";

    /// <summary>Gets the name of one of this run's images, such as <c>localhost/shoal/greeter:t-123-abcdef</c>.</summary>
    public string Image(string name) => $"localhost/shoal/{name}:{Tag}";

    /// <summary>Fails the test when podman is missing or the images could not be built.</summary>
    public async Task RequireAsync()
    {
        await Podman.RequireAsync();
        Assert.True(_failure is null, $"deploy/build-images.sh did not run: {_failure?.Message}");
        Assert.True(_build is { Succeeded: true }, $"deploy/build-images.sh --tag {Tag} failed: {_build?.Describe()}");
    }

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        if (!CommandLine.IsOnPath("podman"))
        {
            return;
        }
        var arguments = new List<string> { Repository.PathOf("deploy", "build-images.sh"), "--tag", Tag };
        foreach (var name in _only)
        {
            arguments.AddRange(["--only", name]);
        }
        var clock = Stopwatch.StartNew();
        try
        {
            _build = await CommandLine.RunAsync("bash", arguments, BuildTimeout, Podman.Environment);
        }
        catch (TimeoutException e)
        {
            _failure = e;
        }
        BuildTime = clock.Elapsed;
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_build is null && _failure is null)
        {
            return;
        }
        // Each of this run's tags by its exact name: removing a tag never removes the image under
        // another tag (podman's reference filter matches images, so it would list, say, a user's
        // greeter:dev when the build cache made it the same image).
        var list = await CommandLine.RunAsync("bash", [Repository.PathOf("deploy", "build-images.sh"), "--list"], TimeSpan.FromMinutes(1));
        foreach (var repository in list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            await Podman.TryRunAsync("rmi", "--ignore", $"{repository}:{Tag}");
        }
    }
}
