using System.CommandLine;
using Grpc.Core;
using Shoal.Cli.Hosting;
using Shoal.Client;
using Shoal.Targets;

namespace Shoal.Cli.Commands.Call;

/// <summary>
/// <c>shoal call &lt;target&gt; &lt;service&gt;/&lt;method&gt; '&lt;json&gt;'</c>: calls any method of a server that
/// serves reflection, JSON in and JSON out (like grpcurl); <c>list</c> and <c>describe</c> explore it.
/// </summary>
internal static class CallCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var target = new Argument<string>("target") { Description = "shoal://host:port (native) or http://host:port (gRPC), or any target ShoalChannel accepts." };
        var method = new Argument<string>("method") { Description = "package.Service/Method to call, or 'list' (services), or 'describe' (a service or message)." };
        var data = new Argument<string?>("json")
        {
            Description = "The request as JSON (for describe: the symbol). Streaming requests: a JSON array or one JSON object a line.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var dataOption = new Option<string?>("--data", "-d") { Description = "The request JSON instead of the argument; '@' reads stdin, '@file' reads a file." };
        var headers = new Option<string[]>("--header", "-H")
        {
            Description = "A request header 'name: value' (repeatable); '-bin' keys take base64.",
            AllowMultipleArgumentsPerToken = false,
        };
        var timeout = new Option<TimeSpan?>("--timeout")
        {
            Description = "The call's deadline, e.g. 5s or 500ms (none by default).",
            CustomParser = result => DurationParser.Parse(result),
        };
        var pretty = new Option<bool>("--pretty") { Description = "Indent the JSON responses." };
        var emitDefaults = new Option<bool>("--emit-defaults") { Description = "Print the reply fields that are at their default value too (0, \"\", false, [], {})." };
        var idempotent = new Option<bool>("--idempotent")
        {
            Description = "Cluster targets: treat the method as idempotent whatever its contract says, so failover and hedging may send it "
                + "again after a failure that may have reached the server.",
        };

        var credentials = new ClientCredentialOptions(callToken: true);

        var command = new Command("call", "Call a method with JSON through server reflection (like grpcurl).")
        {
            target, method, data, dataOption, headers, timeout, pretty, idempotent, emitDefaults,
        };
        credentials.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, cancellationToken, async io =>
        {
            var request = new CallRequest(
                parseResult.GetValue(target)!,
                parseResult.GetValue(method)!,
                parseResult.GetValue(data),
                parseResult.GetValue(dataOption),
                parseResult.GetValue(headers) ?? [],
                parseResult.GetValue(timeout),
                parseResult.GetValue(pretty),
                parseResult.GetValue(idempotent),
                parseResult.GetValue(emitDefaults))
            {
                ChannelOptions = credentials.Read(parseResult).ApplyTo(ChannelFactory.Options(parseResult.GetValue(idempotent))),
                Credentials = credentials.CallCredentials(parseResult),
            };
            return await RunAsync(request, Console.In, io).ConfigureAwait(false);
        }));
        return command;
    }

    /// <summary>Runs one <c>call</c> command line over a channel for its target.</summary>
    public static async Task<int> RunAsync(CallRequest request, TextReader stdin, CommandIO io)
    {
        var metadata = request.ParseHeaders();
        var channel = ChannelFactory.CreateShoal(request.Target, request.ChannelOptions ?? ChannelFactory.Options(request.Idempotent));
        await using (channel.ConfigureAwait(false))
        {
            try
            {
                await CallAsync(request, channel, metadata, stdin, io).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && !io.Cancellation.IsCancellationRequested)
            {
                throw new RpcException(await UnavailableDiagnosis.ExplainAsync(ShoalTarget.Parse(request.Target), e.Status, io.Cancellation).ConfigureAwait(false));
            }
        }
        return ExitCodes.Success;
    }

    private static async Task CallAsync(CallRequest request, ShoalChannel channel, Metadata metadata, TextReader stdin, CommandIO io)
    {
        var options = new CallOptions(
            headers: metadata,
            deadline: request.Timeout is { } t ? DateTime.UtcNow + t : null,
            cancellationToken: io.Cancellation,
            credentials: request.Credentials);
        var runner = new CallRunner(channel.CreateCallInvoker(), io.Output);
        switch (request.Method)
        {
            case "list":
                if (request.Json is not null)
                {
                    throw new UsageException("'list' takes no further argument.");
                }
                await runner.ListAsync(options).ConfigureAwait(false);
                break;
            case "describe":
                var symbol = request.Json ?? throw new UsageException("'describe' needs a service or message name, e.g. describe hello.Greeter.");
                await runner.DescribeAsync(symbol.Trim(), options).ConfigureAwait(false);
                break;
            default:
                var name = MethodName.Parse(request.Method);
                var json = await request.ReadJsonAsync(stdin).ConfigureAwait(false);
                await runner.InvokeAsync(name, json, options, request.Pretty, request.EmitDefaults).ConfigureAwait(false);
                break;
        }
    }
}
