using System.Collections.Concurrent;
using Grpc.Core;

namespace Shoal.FunctionalTests.Support;

/// <summary>
/// One caller's record of its calls, in fixed chunks of small structs: a load run of millions of
/// calls must not allocate large arrays (they would bring long GC pauses into the very latencies
/// it measures). Instance ids are interned to numbers shared by all logs of a load.
/// </summary>
internal sealed class CallLog(CallLog.InstanceTable instances)
{
    private const int ChunkSize = 2048;

    private readonly List<Entry[]> _chunks = [];
    private readonly List<(int Index, string? Detail, bool NeverStarted)> _failureDetails = [];
    private int _count;

    /// <summary>Records one call.</summary>
    public void Add(long start, long end, string? instance, StatusCode? failure, string? detail, bool neverStarted = false)
    {
        var entry = new Entry(start, end, instance is null ? -1 : instances.IdOf(instance), failure is { } code ? (int)code : -1);
        lock (_chunks)
        {
            var index = _count;
            if (index % ChunkSize == 0)
            {
                _chunks.Add(new Entry[ChunkSize]);
            }
            _chunks[index / ChunkSize][index % ChunkSize] = entry;
            if (failure is not null)
            {
                _failureDetails.Add((index, detail, neverStarted));
            }
            _count++;
        }
    }

    /// <summary>Adds the calls that started in [<paramref name="from"/>, <paramref name="to"/>) to <paramref name="result"/>.</summary>
    public void CopyBetween(long from, long to, List<CallRecord> result)
    {
        lock (_chunks)
        {
            var details = _failureDetails.ToDictionary(f => f.Index);
            for (var i = 0; i < _count; i++)
            {
                var e = _chunks[i / ChunkSize][i % ChunkSize];
                if (e.Start >= from && e.Start < to)
                {
                    var failure = e.Failure < 0 ? default : details.GetValueOrDefault(i);
                    result.Add(new CallRecord(e.Start, e.End, e.Instance < 0 ? null : instances.NameOf(e.Instance),
                        e.Failure < 0 ? null : (StatusCode)e.Failure, failure.Detail, failure.NeverStarted));
                }
            }
        }
    }

    /// <summary>The start of the first call at or after <paramref name="from"/> answered by <paramref name="instance"/>, or null.</summary>
    public long? FirstStartOf(string instance, long from)
    {
        if (!instances.TryGetId(instance, out var id))
        {
            return null;
        }
        lock (_chunks)
        {
            long? first = null;
            // Newest first: the answer is usually near the end.
            for (var i = _count - 1; i >= 0; i--)
            {
                var e = _chunks[i / ChunkSize][i % ChunkSize];
                if (e.Start < from)
                {
                    break;
                }
                if (e.Instance == id)
                {
                    first = e.Start;
                }
            }
            return first;
        }
    }

    private readonly record struct Entry(long Start, long End, int Instance, int Failure);

    /// <summary>Instance ids as small numbers.</summary>
    internal sealed class InstanceTable
    {
        private readonly ConcurrentDictionary<string, int> _ids = new(StringComparer.Ordinal);
        private readonly List<string> _names = [];

        public int IdOf(string instance)
        {
            if (_ids.TryGetValue(instance, out var id))
            {
                return id;
            }
            lock (_names)
            {
                return _ids.GetOrAdd(instance, name =>
                {
                    _names.Add(name);
                    return _names.Count - 1;
                });
            }
        }

        public bool TryGetId(string instance, out int id) => _ids.TryGetValue(instance, out id);

        public string NameOf(int id)
        {
            lock (_names)
            {
                return _names[id];
            }
        }
    }
}
