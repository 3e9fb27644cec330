using System.Collections.Immutable;
using Shoal.Instances;
using Shoal.Registry.Embedded;
using Shoal.Registry.Protocol;

namespace Shoal.Registry.Internal;

/// <summary>
/// Converts the instances of successive full sets, reusing the instance built for an unchanged
/// message. A set of 10,000 instances differs from the one before by one instance, and comparing
/// two messages costs a fraction of parsing their addresses again.
/// </summary>
internal sealed class InstanceCache
{
    private Dictionary<string, (Instance Message, ServiceInstance Instance)> _previous = new(StringComparer.Ordinal);

    public ImmutableArray<ServiceInstance>.Builder Convert(IReadOnlyList<Instance> messages)
    {
        var result = ImmutableArray.CreateBuilder<ServiceInstance>(messages.Count);
        var next = new Dictionary<string, (Instance, ServiceInstance)>(messages.Count, StringComparer.Ordinal);
        foreach (var message in messages)
        {
            var instance = _previous.TryGetValue(message.InstanceId, out var known) && known.Message.Equals(message)
                ? known.Instance
                : InstanceMessages.FromMessage(message);
            next[message.InstanceId] = (message, instance);
            result.Add(instance);
        }
        _previous = next;
        return result;
    }
}
