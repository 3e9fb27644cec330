using Google.Protobuf;
using Grpc.Core;
using Grpc.Reflection.V1Alpha;

namespace Shoal.Cli.Reflection;

/// <summary>
/// Asks a server what it serves through <c>grpc.reflection.v1alpha.ServerReflection</c>: the
/// list of services, and the file descriptors (with every import) that define a symbol.
/// </summary>
internal sealed class ReflectionClient(CallInvoker invoker)
{
    private readonly ServerReflection.ServerReflectionClient _client = new(invoker);

    /// <summary>The full names of the services the server reports, sorted.</summary>
    public async Task<IReadOnlyList<string>> ListServicesAsync(CallOptions options)
    {
        using var call = _client.ServerReflectionInfo(options);
        var response = await AskAsync(call, new ServerReflectionRequest { ListServices = "" }, options.CancellationToken).ConfigureAwait(false);
        if (response.MessageResponseCase != ServerReflectionResponse.MessageResponseOneofCase.ListServicesResponse)
        {
            throw Unexpected(response, "a list of services");
        }
        await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        return response.ListServicesResponse.Service.Select(s => s.Name).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Fetches the file that defines <paramref name="symbol"/> (a service or message full name) and
    /// every file it imports, and builds them; null when the server does not know the symbol.
    /// </summary>
    public async Task<DescriptorSet?> LoadSymbolAsync(string symbol, CallOptions options)
    {
        using var call = _client.ServerReflectionInfo(options);
        var files = new Dictionary<string, ByteString>(StringComparer.Ordinal);
        var response = await AskAsync(call, new ServerReflectionRequest { FileContainingSymbol = symbol }, options.CancellationToken).ConfigureAwait(false);
        if (response.MessageResponseCase == ServerReflectionResponse.MessageResponseOneofCase.ErrorResponse
            && response.ErrorResponse.ErrorCode == (int)StatusCode.NotFound)
        {
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            return null;
        }
        var missing = new Queue<string>(AddFiles(response, files));

        // Servers usually send the imports along; ask for any that did not come, one by one (bounded by the file count).
        var asked = new HashSet<string>(StringComparer.Ordinal);
        while (missing.TryDequeue(out var name))
        {
            if (files.ContainsKey(name) || !asked.Add(name) || asked.Count > 1000)
            {
                continue;
            }
            var dependency = await AskAsync(call, new ServerReflectionRequest { FileByFilename = name }, options.CancellationToken).ConfigureAwait(false);
            foreach (var next in AddFiles(dependency, files))
            {
                missing.Enqueue(next);
            }
        }
        await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        return DescriptorSet.Build(files.Values);
    }

    private static async Task<ServerReflectionResponse> AskAsync(
        AsyncDuplexStreamingCall<ServerReflectionRequest, ServerReflectionResponse> call,
        ServerReflectionRequest request,
        CancellationToken cancellationToken)
    {
        try
        {
            await call.RequestStream.WriteAsync(request, cancellationToken).ConfigureAwait(false);
            if (!await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException("The server's reflection service ended the stream without answering.");
            }
            return call.ResponseStream.Current;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unimplemented)
        {
            throw new RpcException(new Status(
                StatusCode.Unimplemented,
                $"the server does not serve reflection ({ServerReflection.Descriptor.FullName}), which shoal call needs ({ex.Status.Detail})"));
        }
        catch (InvalidOperationException) when (call.GetStatus() is { StatusCode: not StatusCode.OK } status)
        {
            // The call ended while writing: its status says why.
            throw new RpcException(status);
        }
    }

    /// <summary>Adds the files of a descriptor response; returns the imports not yet present.</summary>
    private static IEnumerable<string> AddFiles(ServerReflectionResponse response, Dictionary<string, ByteString> files)
    {
        if (response.MessageResponseCase != ServerReflectionResponse.MessageResponseOneofCase.FileDescriptorResponse)
        {
            throw Unexpected(response, "file descriptors");
        }
        var imports = new List<string>();
        foreach (var bytes in response.FileDescriptorResponse.FileDescriptorProto)
        {
            var proto = Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(bytes);
            files.TryAdd(proto.Name, bytes);
            imports.AddRange(proto.Dependency);
        }
        return imports.Where(i => !files.ContainsKey(i)).ToList();
    }

    private static RpcException Unexpected(ServerReflectionResponse response, string wanted) =>
        response.MessageResponseCase == ServerReflectionResponse.MessageResponseOneofCase.ErrorResponse
            ? new RpcException(new Status((StatusCode)response.ErrorResponse.ErrorCode, "reflection: " + response.ErrorResponse.ErrorMessage))
            : new RpcException(new Status(StatusCode.Internal, $"reflection answered {response.MessageResponseCase} where {wanted} was expected."));
}
