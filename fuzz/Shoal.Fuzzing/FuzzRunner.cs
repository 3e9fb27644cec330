using Shoal.Fuzzing.Infrastructure;
using Shoal.Fuzzing.Targets;

namespace Shoal.Fuzzing;

/// <summary>Runs inputs through a target the same way under afl-fuzz, in replays and in the test suite.</summary>
internal static class FuzzRunner
{
    /// <summary>Runs one input within the memory bound; throws what the target found.</summary>
    public static void Execute(IFuzzTarget target, ReadOnlySpan<byte> input)
    {
        var copy = input.ToArray();
        Bounds.WithinMemory(() => target.Run(copy));
    }

    /// <summary>Runs one input; returns what it found, or null when the target handled it.</summary>
    public static Exception? Replay(IFuzzTarget target, byte[] input)
    {
        try
        {
            Execute(target, input);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    /// <summary>Every file under the given paths (a file, or a folder searched recursively), sorted.</summary>
    public static IEnumerable<string> Files(IEnumerable<string> paths) => paths
        .SelectMany(path => Directory.Exists(path) ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories) : [path])
        .Where(path => !Path.GetFileName(path).StartsWith('.') && Path.GetFileName(path) != "README.txt")
        .Order(StringComparer.Ordinal);

    /// <summary>Writes every target's seeds to <paramref name="root"/>/&lt;target&gt;/, replacing what was there.</summary>
    public static int WriteSeeds(string root)
    {
        var written = 0;
        foreach (var name in FuzzTargets.Names)
        {
            var folder = Path.Combine(root, name);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
            Directory.CreateDirectory(folder);
            foreach (var (seed, input) in FuzzTargets.Create(name)!.Seeds())
            {
                File.WriteAllBytes(Path.Combine(folder, seed), input);
                written++;
            }
        }
        return written;
    }
}
