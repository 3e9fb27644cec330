using Shoal.Fuzzing.Targets;

namespace Shoal.Fuzzing.Tests;

/// <summary>
/// Replays every seed and every saved crash input of every target through the same target code the
/// fuzzer runs (uninstrumented): each must be handled (accepted, or rejected the documented way)
/// within the harness's time and memory bounds.
/// </summary>
public sealed class CorpusReplayTests
{
    public static TheoryData<string> Targets => [.. FuzzTargets.Names];

    [Theory]
    [MemberData(nameof(Targets))]
    public void SeedCorpus_EveryInput_IsHandledWithoutACrash(string target) => ReplayAll(target, RepositoryFiles.Corpus(target), required: true);

    [Theory]
    [MemberData(nameof(Targets))]
    public void RegressionInputs_EveryInput_IsHandledWithoutACrash(string target) => ReplayAll(target, RepositoryFiles.Regressions(target), required: false);

    [Fact]
    public void SeedCorpus_InRepository_IsExactlyWhatTheGeneratorWrites()
    {
        var generated = Directory.CreateTempSubdirectory("shoal-seeds-");
        try
        {
            FuzzRunner.WriteSeeds(generated.FullName);
            foreach (var target in FuzzTargets.Names)
            {
                var expected = Directory.GetFiles(Path.Combine(generated.FullName, target)).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
                var actual = Directory.GetFiles(RepositoryFiles.Corpus(target)).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
                Assert.Equal(expected, actual);
                foreach (var name in expected)
                {
                    Assert.True(
                        File.ReadAllBytes(Path.Combine(generated.FullName, target, name!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(RepositoryFiles.Corpus(target), name!))),
                        $"fuzz/corpus/{target}/{name} differs from what 'Shoal.Fuzzing seeds fuzz/corpus' writes; run it again.");
                }
            }
        }
        finally
        {
            generated.Delete(recursive: true);
        }
    }

    private static void ReplayAll(string targetName, string folder, bool required)
    {
        var target = FuzzTargets.Create(targetName)!;
        var files = Directory.Exists(folder) ? FuzzRunner.Files([folder]).ToList() : [];
        if (required)
        {
            Assert.NotEmpty(files);
        }
        var failures = files
            .Select(file => (File: Path.GetRelativePath(RepositoryFiles.Root, file), Finding: FuzzRunner.Replay(target, File.ReadAllBytes(file))))
            .Where(result => result.Finding is not null)
            .Select(result => $"{result.File}: {result.Finding}")
            .ToList();
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }
}
