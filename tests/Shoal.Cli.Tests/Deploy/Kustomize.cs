using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using k8s;
using k8s.Models;

namespace Shoal.Cli.Tests.Deploy;

/// <summary>Renders deploy/kubernetes with <c>kubectl kustomize</c>, once per folder for all the tests.</summary>
internal static class Kustomize
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);

    /// <summary>The registry token an overlay's operator makes (production's; git-ignored).</summary>
    public const string OperatorToken = "registry.token";
    private static readonly ConcurrentDictionary<string, Lazy<Task<Rendered>>> Cache = new(StringComparer.Ordinal);

    /// <summary>What a folder renders to: the YAML text and its objects.</summary>
    public sealed record Rendered(string Text, IReadOnlyList<object> Objects);

    /// <summary>Gets a path under deploy/kubernetes.</summary>
    public static string PathOf(string relative) => Path.Combine(RepositoryRoot(), "deploy", "kubernetes", relative);

    /// <summary>Renders a folder of deploy/kubernetes (such as <c>overlays/dev</c>).</summary>
    public static Task<Rendered> RenderAsync(string folder) =>
        Cache.GetOrAdd(folder, f => new Lazy<Task<Rendered>>(() => RenderOnceAsync(f))).Value;

    /// <summary>Gets the images deploy/build-images.sh makes, without tags.</summary>
    public static async Task<IReadOnlySet<string>> BuiltImagesAsync()
    {
        var (exit, output, error) = await RunAsync("bash", [Path.Combine(RepositoryRoot(), "deploy", "build-images.sh"), "--list"]);
        Assert.True(exit == 0, $"deploy/build-images.sh --list failed: {error}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Gets an object's metadata.</summary>
    public static V1ObjectMeta Metadata(object item) => ((IMetadata<V1ObjectMeta>)item).Metadata;

    private static async Task<Rendered> RenderOnceAsync(string folder)
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "kubectl")));
        Assert.True(onPath, "kubectl is not installed; install kubectl 1.27 or later (kustomize v5) to render deploy/kubernetes.");
        if (File.Exists(PathOf(Path.Combine(folder, OperatorToken))) || !File.Exists(PathOf(Path.Combine(folder, ".gitignore"))))
        {
            return await RenderFolderAsync(PathOf(folder), folder);
        }
        // The overlay reads a token its operator makes (never committed): render a copy with a throwaway one.
        var copy = Directory.CreateTempSubdirectory("shoal-kustomize-").FullName;
        try
        {
            CopyTree(PathOf(""), copy);
            await File.WriteAllTextAsync(Path.Combine(copy, folder, OperatorToken), Convert.ToHexString(RandomNumberGenerator.GetBytes(16)) + "\n");
            return await RenderFolderAsync(Path.Combine(copy, folder), folder);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    private static async Task<Rendered> RenderFolderAsync(string path, string folder)
    {
        var (exit, output, error) = await RunAsync("kubectl", ["kustomize", path]);
        Assert.True(exit == 0, $"kubectl kustomize {folder} failed: {error}");
        return new Rendered(output, KubernetesYaml.LoadAllFromString(output));
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string program, string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', arguments)} did not finish within {Limit}");
        }
        return (process.ExitCode, await output, await error);
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        for (var i = 0; i < 12 && directory is not null; i++, directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Shoal.slnx")))
            {
                return directory.FullName;
            }
        }
        throw new DirectoryNotFoundException("Shoal.slnx was not found above the test's directory.");
    }
}
