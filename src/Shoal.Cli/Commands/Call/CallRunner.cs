using System.Text.Json;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Shoal.Cli.Reflection;

namespace Shoal.Cli.Commands.Call;

/// <summary>
/// What <c>shoal call</c> does over any <see cref="CallInvoker"/>: list services, describe a
/// symbol, or call a method with JSON in and JSON out, using only the descriptors that the
/// server's reflection service returns.
/// </summary>
internal sealed class CallRunner(CallInvoker invoker, TextWriter output)
{
    private static readonly Marshaller<byte[]> Identity = Marshallers.Create(static (byte[] b) => b, static b => b);
    private readonly ReflectionClient _reflection = new(invoker);

    /// <summary>Prints the services the server reports, one per line.</summary>
    public async Task ListAsync(CallOptions options)
    {
        foreach (var service in await _reflection.ListServicesAsync(options).ConfigureAwait(false))
        {
            await output.WriteLineAsync(service).ConfigureAwait(false);
        }
    }

    /// <summary>Prints a service's methods, a method with its messages, or a message's fields, as .proto text.</summary>
    public async Task DescribeAsync(string symbol, CallOptions options)
    {
        var method = symbol.Contains('/', StringComparison.Ordinal) ? MethodName.Parse(symbol) : null;
        var set = method is null ? await _reflection.LoadSymbolAsync(symbol, options).ConfigureAwait(false) : null;
        if (set?.FindService(symbol) is { } service)
        {
            await output.WriteAsync(ProtoText.Describe(service)).ConfigureAwait(false);
            return;
        }
        if (set?.FindMessage(symbol) is { } message)
        {
            await output.WriteAsync(ProtoText.Describe(message)).ConfigureAwait(false);
            return;
        }

        // Not a service or message: a method, written Service/Method or Service.Method.
        if (method is null && symbol.LastIndexOf('.') > 0)
        {
            method = MethodName.Parse(symbol);
        }
        if (method is null)
        {
            throw new CallFailedException(await UnknownServiceMessageAsync(symbol, options).ConfigureAwait(false));
        }
        var descriptor = await ResolveAsync(method, options).ConfigureAwait(false);
        await output.WriteAsync(ProtoText.Describe(descriptor)).ConfigureAwait(false);
    }

    /// <summary>Finds <paramref name="name"/> through reflection; throws <see cref="CallFailedException"/> when the server has no such method.</summary>
    public async Task<MethodDescriptor> ResolveAsync(MethodName name, CallOptions options)
    {
        var set = await _reflection.LoadSymbolAsync(name.Service, options).ConfigureAwait(false);
        var service = set?.FindService(name.Service)
            ?? throw new CallFailedException(await UnknownServiceMessageAsync(name.Service, options).ConfigureAwait(false));
        return service.FindMethodByName(name.Method)
            ?? throw new CallFailedException(
                $"unknown method '{name.Method}' in service '{service.FullName}' (it has: {string.Join(", ", service.Methods.Select(m => m.Name))}).");
    }

    /// <summary>Encodes <paramref name="requestText"/>, calls <paramref name="name"/>, and prints every response as one JSON document a line.</summary>
    public async Task InvokeAsync(MethodName name, string requestText, CallOptions options, bool pretty, bool emitDefaults = false)
    {
        var method = await ResolveAsync(name, options).ConfigureAwait(false);
        var requests = Encode(method, requestText);

        var type = (method.IsClientStreaming, method.IsServerStreaming) switch
        {
            (false, false) => MethodType.Unary,
            (false, true) => MethodType.ServerStreaming,
            (true, false) => MethodType.ClientStreaming,
            _ => MethodType.DuplexStreaming,
        };
        var grpcMethod = new Method<byte[], byte[]>(type, method.Service.FullName, method.Name, Identity, Identity);
        async Task PrintAsync(byte[] response) =>
            await output.WriteLineAsync(DynamicMessageCodec.ToJson(method.OutputType, response, pretty, emitDefaults)).ConfigureAwait(false);

        switch (type)
        {
            case MethodType.Unary:
                await PrintAsync(await invoker.AsyncUnaryCall(grpcMethod, null, options, requests[0]).ConfigureAwait(false)).ConfigureAwait(false);
                break;
            case MethodType.ServerStreaming:
                using (var call = invoker.AsyncServerStreamingCall(grpcMethod, null, options, requests[0]))
                {
                    await foreach (var response in call.ResponseStream.ReadAllAsync(options.CancellationToken).ConfigureAwait(false))
                    {
                        await PrintAsync(response).ConfigureAwait(false);
                    }
                }
                break;
            case MethodType.ClientStreaming:
                using (var call = invoker.AsyncClientStreamingCall(grpcMethod, null, options))
                {
                    await WriteAllAsync(call.RequestStream, requests, options.CancellationToken).ConfigureAwait(false);
                    await PrintAsync(await call.ResponseAsync.ConfigureAwait(false)).ConfigureAwait(false);
                }
                break;
            default:
                using (var call = invoker.AsyncDuplexStreamingCall(grpcMethod, null, options))
                {
                    var reading = Task.Run(async () =>
                    {
                        await foreach (var response in call.ResponseStream.ReadAllAsync(options.CancellationToken).ConfigureAwait(false))
                        {
                            await PrintAsync(response).ConfigureAwait(false);
                        }
                    });
                    try
                    {
                        await WriteAllAsync(call.RequestStream, requests, options.CancellationToken).ConfigureAwait(false);
                    }
                    catch (RpcException)
                    {
                        // The call failed while we were writing; the reader reports its status.
                    }
                    catch (InvalidOperationException)
                    {
                        // Writing after the call completed; the reader reports its status.
                    }
                    await reading.ConfigureAwait(false);
                }
                break;
        }
    }

    private static List<byte[]> Encode(MethodDescriptor method, string requestText)
    {
        IReadOnlyList<JsonElement> values;
        try
        {
            values = RequestReader.Read(requestText, method.IsClientStreaming);
        }
        catch (FormatException ex)
        {
            throw new CallFailedException($"bad request JSON for {method.InputType.FullName}: {ex.Message}");
        }
        var requests = new List<byte[]>(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            try
            {
                requests.Add(DynamicMessageCodec.Encode(method.InputType, values[i]));
            }
            catch (JsonCodecException ex)
            {
                var which = method.IsClientStreaming ? $" (request {i + 1})" : "";
                throw new CallFailedException($"bad request JSON for {method.InputType.FullName}{which}: {ex.Message}");
            }
        }
        return requests;
    }

    private static async Task WriteAllAsync(IClientStreamWriter<byte[]> stream, List<byte[]> requests, CancellationToken cancellationToken)
    {
        foreach (var request in requests)
        {
            await stream.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        }
        await stream.CompleteAsync().ConfigureAwait(false);
    }

    private async Task<string> UnknownServiceMessageAsync(string symbol, CallOptions options)
    {
        var services = await _reflection.ListServicesAsync(options).ConfigureAwait(false);
        return $"unknown service '{symbol}' (the server has: {string.Join(", ", services)}).";
    }
}
