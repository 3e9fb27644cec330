using Grpc.Core;
using Shoal.Client;
using SampleService.Contracts;
using GreeterContract = SampleService.Contracts.Greeter;

// Calls the service: shoal://host:port (native), http://host:port (gRPC), or a registry://host:port/sampleservice.Greeter cluster.
var target = args.Length > 0 ? args[0] : "shoal://127.0.0.1:7000";
var name = args.Length > 1 ? args[1] : "Shoal";
try
{
    await using var channel = ShoalChannel.ForTarget(target);
    var client = new GreeterContract.GreeterClient(channel);
    var reply = await client.SayHelloAsync(new HelloRequest { Name = name }, deadline: DateTime.UtcNow.AddSeconds(10));
    Console.WriteLine(reply.Message);
    return 0;
}
catch (Exception e) when (e is RpcException or FormatException or NotSupportedException)
{
    await Console.Error.WriteLineAsync($"SampleService.Client: {e.Message}");
    return 1;
}
