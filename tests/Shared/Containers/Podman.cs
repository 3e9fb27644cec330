using System.Text.Json;

namespace Shoal.Tests.Containers;

/// <summary>
/// podman as the tests use it: with the project's own configuration (deploy/podman/containers.conf,
/// through CONTAINERS_CONF), a time limit on every command, and names unique to the run.
/// </summary>
public static class Podman
{
    /// <summary>How to get podman where it is missing, in the one line a failing test prints.</summary>
    public const string InstallHint = "install it with scripts/install-test-deps.sh (apt-get install -y podman runc catatonit mmdebstrap, as root)";

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);
    private static readonly Lazy<Task<string?>> Problem = new(FindProblemAsync);

    /// <summary>Gets the environment every podman command and deploy/build-images.sh runs with.</summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        ["CONTAINERS_CONF"] = Repository.PathOf("deploy", "podman", "containers.conf"),
    };

    /// <summary>Fails the test with one line saying how to install podman when it cannot run here; never skips.</summary>
    public static async Task RequireAsync()
    {
        if (await Problem.Value is { } problem)
        {
            Assert.Fail($"podman cannot run here ({problem}); {InstallHint}.");
        }
    }

    /// <summary>Gets a name no other run uses: <paramref name="prefix"/>, the process id and a random part.</summary>
    public static string UniqueName(string prefix) => $"{prefix}-{System.Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>Runs one podman command and returns what it printed; it may fail.</summary>
    public static Task<CommandResult> TryRunAsync(params string[] arguments) => TryRunAsync(DefaultTimeout, arguments);

    /// <summary>Runs one podman command within <paramref name="timeout"/>; it may fail.</summary>
    public static Task<CommandResult> TryRunAsync(TimeSpan timeout, params string[] arguments) =>
        CommandLine.RunAsync("podman", arguments, timeout, Environment);

    /// <summary>Runs one podman command that must succeed and returns its standard output, trimmed.</summary>
    public static async Task<string> RunAsync(params string[] arguments)
    {
        var result = await TryRunAsync(arguments);
        Assert.True(result.Succeeded, $"podman {string.Join(' ', arguments)} failed: {result.Describe()}");
        return result.Output.Trim();
    }

    /// <summary>Reads one field of <c>podman inspect</c> as JSON.</summary>
    public static async Task<JsonElement> InspectAsync(string what, string format) =>
        JsonDocument.Parse(await RunAsync("inspect", "--format", "{{json " + format + "}}", what)).RootElement.Clone();

    private static async Task<string?> FindProblemAsync()
    {
        if (!CommandLine.IsOnPath("podman"))
        {
            return "podman is not installed";
        }
        try
        {
            var info = await TryRunAsync(TimeSpan.FromSeconds(60), "info", "--format", "{{.Host.OCIRuntime.Name}}");
            return info.Succeeded ? null : $"podman info failed: {info.Error.Trim().Split('\n')[0]}";
        }
        catch (TimeoutException e)
        {
            return e.Message.Split('\n')[0];
        }
    }
}
