using Microsoft.Extensions.Time.Testing;
using Shoal.Client.Cluster.Endpoints;
using Shoal.Client.Cluster.LoadBalancing;
using Shoal.Cluster.Tests.Fakes;

namespace Shoal.Cluster.Tests.LoadBalancing;

public sealed class WeightedEndpointsTests
{
    [Fact]
    public void SampleIndex_SeededRandom_PassesChiSquareForWeights()
    {
        var endpoints = Endpoints(4, i => (i + 1) * 10);
        var random = new Random(7);
        var counts = new int[4];
        const int draws = 100_000;
        for (var i = 0; i < draws; i++)
        {
            counts[endpoints.SampleIndex(random)]++;
        }

        var chiSquare = 0.0;
        for (var i = 0; i < 4; i++)
        {
            var expected = draws * (i + 1) / 10.0;
            chiSquare += (counts[i] - expected) * (counts[i] - expected) / expected;
        }
        // 3 degrees of freedom: 11.34 is the 99th percentile.
        Assert.True(chiSquare < 11.34, $"chi-square {chiSquare:F2}");
    }

    [Fact]
    public void SampleIndex_FiftyUnevenWeights_PassesChiSquare()
    {
        var endpoints = Endpoints(50, i => 1 + (i * i % 97));
        var random = new Random(11);
        var counts = new int[50];
        const int draws = 500_000;
        for (var i = 0; i < draws; i++)
        {
            counts[endpoints.SampleIndex(random)]++;
        }

        var chiSquare = 0.0;
        for (var i = 0; i < 50; i++)
        {
            var expected = draws * (double)endpoints.WeightAt(i) / endpoints.TotalWeight;
            chiSquare += (counts[i] - expected) * (counts[i] - expected) / expected;
        }
        // 49 degrees of freedom: 74.92 is the 99th percentile.
        Assert.True(chiSquare < 74.92, $"chi-square {chiSquare:F2}");
    }

    [Fact]
    public void Constructor_NonPositiveWeight_Throws()
    {
        var endpoint = Endpoints(1, _ => 1)[0];
        Assert.Throws<ArgumentException>(() => new WeightedEndpoints([endpoint], [0]));
    }

    internal static WeightedEndpoints Endpoints(int count, Func<int, int> weight)
    {
        var time = new FakeTimeProvider();
        var endpoints = Enumerable.Range(0, count)
            .Select(i => new ClusterEndpoint(TestInstances.Instance(10_000 + i), new FakeConnection(TestInstances.Native(10_000 + i)), time))
            .ToArray();
        return new WeightedEndpoints(endpoints, Enumerable.Range(0, count).Select(weight).ToArray());
    }
}
