namespace Shoal.Packaging.Tests;

/// <summary>The tests that share one <see cref="LocalFeed"/>: the solution is packed once per run.</summary>
[CollectionDefinition(Name)]
public sealed class LocalFeedCollection : ICollectionFixture<LocalFeed>
{
    public const string Name = "Local feed";
}
