using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Shoal.Cli.Reflection;

/// <summary>
/// The services and messages of a set of <c>FileDescriptorProto</c>s as served by reflection,
/// built into Google.Protobuf descriptors without any generated type.
/// </summary>
internal sealed class DescriptorSet
{
    private readonly Dictionary<string, ServiceDescriptor> _services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MessageDescriptor> _messages = new(StringComparer.Ordinal);

    private DescriptorSet(IReadOnlyList<FileDescriptor> files)
    {
        Files = files;
        foreach (var file in files)
        {
            foreach (var service in file.Services)
            {
                _services[service.FullName] = service;
            }
            foreach (var message in file.MessageTypes)
            {
                AddMessage(message);
            }
        }
    }

    /// <summary>The built files, dependencies first.</summary>
    public IReadOnlyList<FileDescriptor> Files { get; }

    /// <summary>Every service in the set.</summary>
    public IEnumerable<ServiceDescriptor> Services => _services.Values;

    /// <summary>
    /// Builds the set from serialized <c>FileDescriptorProto</c>s in any order; every dependency must be present.
    /// </summary>
    public static DescriptorSet Build(IEnumerable<ByteString> serializedFiles)
    {
        var byName = new Dictionary<string, (FileDescriptorProto Proto, ByteString Bytes)>(StringComparer.Ordinal);
        foreach (var bytes in serializedFiles)
        {
            var proto = FileDescriptorProto.Parser.ParseFrom(bytes);
            byName.TryAdd(proto.Name, (proto, bytes));
        }

        // BuildFromByteStrings wants dependencies before the files that import them.
        var ordered = new List<ByteString>();
        var state = new Dictionary<string, bool>(StringComparer.Ordinal);
        void Visit(string name, string importedBy)
        {
            if (state.TryGetValue(name, out var done))
            {
                if (!done)
                {
                    throw new InvalidOperationException($"The descriptor files import each other in a cycle through '{name}'.");
                }
                return;
            }
            if (!byName.TryGetValue(name, out var file))
            {
                throw new InvalidOperationException($"The server's reflection did not supply '{name}' (imported by '{importedBy}').");
            }
            state[name] = false;
            foreach (var dependency in file.Proto.Dependency)
            {
                Visit(dependency, name);
            }
            state[name] = true;
            ordered.Add(file.Bytes);
        }
        foreach (var name in byName.Keys.Order(StringComparer.Ordinal))
        {
            Visit(name, name);
        }
        return new DescriptorSet(FileDescriptor.BuildFromByteStrings(ordered));
    }

    /// <summary>Finds a service by full name (<c>hello.Greeter</c>).</summary>
    public ServiceDescriptor? FindService(string fullName) => _services.GetValueOrDefault(fullName);

    /// <summary>Finds a message type by full name (<c>hello.HelloRequest</c>).</summary>
    public MessageDescriptor? FindMessage(string fullName) => _messages.GetValueOrDefault(fullName);

    private void AddMessage(MessageDescriptor message)
    {
        _messages[message.FullName] = message;
        foreach (var nested in message.NestedTypes)
        {
            AddMessage(nested);
        }
    }
}
