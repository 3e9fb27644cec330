using System.Security.Cryptography;
using Shoal.Autoscaling.Simulation.Corpus;

namespace Shoal.Autoscaling.Tests.Evaluation;

/// <summary>The corpus is the yardstick of every result in docs/autoscaling.md: not one sample may change.</summary>
public sealed class TraceCorpusHashTests
{
    // SHA-256 of every count of every family, seeds 1 to 6, in family and seed order (doubles, little-endian).
    private const string CorpusHash = "32E60393EAD60B9F14E785353A53E48CFBFF9FC3B8E3A18E465D0367A9E649A9";

    [Fact]
    public void Corpus_IsByteIdenticalToThePublishedOne()
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var trace in TraceCorpus.Synthetic())
        {
            foreach (var count in trace.Trace.Counts)
            {
                sha.AppendData(BitConverter.GetBytes(count));
            }
        }

        var actual = Convert.ToHexString(sha.GetHashAndReset());
        Assert.True(actual == CorpusHash, $"the corpus changed: its hash is {actual}");
    }
}
