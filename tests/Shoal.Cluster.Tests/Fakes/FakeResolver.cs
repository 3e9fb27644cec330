using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Shoal.Discovery;

namespace Shoal.Cluster.Tests.Fakes;

/// <summary>A resolver the test pushes instance sets into.</summary>
public sealed class FakeResolver : IServiceResolver
{
    private readonly Channel<InstanceSet> _sets = Channel.CreateUnbounded<InstanceSet>();

    public void Push(InstanceSet set) => _sets.Writer.TryWrite(set);

    public async IAsyncEnumerable<InstanceSet> WatchAsync(string service, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await _sets.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (_sets.Reader.TryRead(out var set))
            {
                yield return set;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _sets.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}
