using Grpc.Core;
using Hello;
using Microsoft.Extensions.Configuration;
using Shoal.Client;

// Calls a Greeter with the unchanged generated clients: unary, then each streaming kind.
var target = new ConfigurationBuilder().AddCommandLine(args).Build()["target"] ?? "shoal://127.0.0.1:7000";
try
{
    await using var channel = ShoalChannel.ForTarget(target);
    var greeter = new Greeter.GreeterClient(channel);
    var streams = new GreeterStreams.GreeterStreamsClient(channel);
    DateTime Deadline() => DateTime.UtcNow.AddSeconds(10);

    Console.WriteLine((await greeter.SayHelloAsync(new HelloRequest { Name = "Shoal" }, deadline: Deadline())).Message);

    using var many = streams.SayHelloMany(new ManyHellosRequest { Name = "stream", Count = 3 }, deadline: Deadline());
    await foreach (var reply in many.ResponseStream.ReadAllAsync())
    {
        Console.WriteLine(reply.Message);
    }

    using var toAll = streams.SayHelloToAll(deadline: Deadline());
    foreach (var name in new[] { "Ann", "Bob", "Cy" })
    {
        await toAll.RequestStream.WriteAsync(new HelloRequest { Name = name });
    }
    await toAll.RequestStream.CompleteAsync();
    Console.WriteLine((await toAll).Message);

    using var chat = streams.Chat(deadline: Deadline());
    foreach (var name in new[] { "Dee", "Eve" })
    {
        await chat.RequestStream.WriteAsync(new HelloRequest { Name = name });
        await chat.ResponseStream.MoveNext();
        Console.WriteLine(chat.ResponseStream.Current.Message);
    }
    await chat.RequestStream.CompleteAsync();
    return 0;
}
catch (Exception e) when (e is RpcException or FormatException or NotSupportedException)
{
    await Console.Error.WriteLineAsync($"greeter-client: {e.Message}");
    return 1;
}
