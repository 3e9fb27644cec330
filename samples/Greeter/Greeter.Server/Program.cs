using Hello;
using Hello.Server;
using Microsoft.Extensions.Options;
using Shoal.Registry.Etcd;
using Shoal.Server;

// The Greeter host: both services on the native transport (--tcp-port, default 7000) and on gRPC
// (--grpc-port, default 7001), health and reflection included; --delay-ms makes a slow instance.
// --registry registry://host:port (or etcd://h1:p1,h2:p2) registers it, with --zone and --weight;
// every unary reply carries the instance id in the x-instance-id trailer.
try
{
    var builder = WebApplication.CreateSlimBuilder(args);
    builder.Configuration.AddShoalCommandLine(args, new Dictionary<string, string> { ["--delay-ms"] = "Greeter:DelayMs" });
    builder.Services.AddSingleton(new GreeterBehavior { Delay = TimeSpan.FromMilliseconds(builder.Configuration.GetValue("Greeter:DelayMs", 0)) });
    // etcd:// registries need the Shoal.Registry.Etcd package and this one call.
    builder.Services.AddShoalEtcd();
    builder.AddShoalServer()
        .AddInterceptor<InstanceIdInterceptor>()
        .AddService<GreeterService>()
        .AddService<GreeterStreamsService>();

    var app = builder.Build();
    app.MapShoalServices();
    await app.StartAsync();
    Console.WriteLine($"Greeter listening: {app.GetShoalAddresses()}");
    var instanceId = app.Services.GetRequiredService<IOptions<ShoalServerOptions>>().Value.InstanceId;
    var registration = app.GetShoalRegistration();
    Console.WriteLine(registration is null
        ? $"Greeter instance: {instanceId} (not registered)"
        : $"Greeter instance: {instanceId} registered with {builder.Configuration["Shoal:Server:Registry"]}");
    await app.WaitForShutdownAsync();
    return 0;
}
catch (Exception e) when (e is InvalidOperationException or OptionsValidationException or IOException or FormatException)
{
    // Bad input (a port that is not a number, a port in use) ends with one line, not a stack trace.
    await Console.Error.WriteLineAsync($"greeter-server: cannot run: {e.Message}");
    return 2;
}
