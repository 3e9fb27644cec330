using Google.Protobuf.Reflection;
using Grpc.Core;

namespace Shoal.Client.Cluster.Internal;

/// <summary>
/// Finds the <see cref="MethodDescriptor"/> of a method from what a <see cref="CallInvoker"/> is
/// given (a <see cref="Method{TRequest, TResponse}"/>: service, name, marshallers): first among the
/// services registered in <see cref="ClusterDependencies.ServiceDescriptors"/>, then, when the
/// request or response is a generated protobuf message, in the descriptors the generated code
/// carries (see <see cref="GeneratedDescriptors"/>). Other marshallers have no contract to read.
/// </summary>
/// <remarks>Called once per method (the policy table caches the outcome), never on the call path after that.</remarks>
internal sealed class MethodContracts
{
    private readonly Dictionary<string, ServiceDescriptor> _registered = new(StringComparer.Ordinal);

    public MethodContracts(IEnumerable<ServiceDescriptor>? registered)
    {
        foreach (var service in registered ?? [])
        {
            ArgumentNullException.ThrowIfNull(service, nameof(ClusterDependencies.ServiceDescriptors));
            _registered.TryAdd(service.FullName, service);
        }
    }

    /// <summary>The descriptor of <paramref name="method"/>, or null when neither a registration nor the generated code describes it.</summary>
    public MethodDescriptor? Find<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class
        where TResponse : class
    {
        if (_registered.TryGetValue(method.ServiceName, out var registered) && registered.FindMethodByName(method.Name) is { } described)
        {
            return described;
        }
        List<MessageDescriptor>? messages = null;
        foreach (var type in (ReadOnlySpan<Type>)[typeof(TRequest), typeof(TResponse)])
        {
            if (GeneratedDescriptors.MessageOf(type) is { } message)
            {
                (messages ??= []).Add(message);
            }
        }
        return messages is null ? null : GeneratedDescriptors.FindService(method.ServiceName, messages)?.FindMethodByName(method.Name);
    }

    /// <summary>The method's <c>idempotency_level</c> option; <c>IDEMPOTENCY_UNKNOWN</c> when it sets none.</summary>
    public static MethodOptions.Types.IdempotencyLevel LevelOf(MethodDescriptor method)
        => method.GetOptions()?.IdempotencyLevel ?? MethodOptions.Types.IdempotencyLevel.IdempotencyUnknown;

    /// <summary>Whether <paramref name="level"/> makes calling twice safe: <c>NO_SIDE_EFFECTS</c> (a read) or <c>IDEMPOTENT</c>.</summary>
    public static bool IsIdempotent(MethodOptions.Types.IdempotencyLevel level)
        => level is MethodOptions.Types.IdempotencyLevel.NoSideEffects or MethodOptions.Types.IdempotencyLevel.Idempotent;
}
