using Hello;
using Microsoft.Extensions.Options;
using Shoal.Hosting.Server;

// The Greeter host: both services on the native transport (--tcp-port, default 7000) and on gRPC
// (--grpc-port, default 7001), health and reflection included; --delay-ms makes a slow instance.
try
{
    var builder = WebApplication.CreateSlimBuilder(args);
    builder.Configuration.AddShoalCommandLine(args, new Dictionary<string, string> { ["--delay-ms"] = "Greeter:DelayMs" });
    builder.Services.AddSingleton(new GreeterBehavior { Delay = TimeSpan.FromMilliseconds(builder.Configuration.GetValue("Greeter:DelayMs", 0)) });
    builder.AddShoalServer().AddService<GreeterService>().AddService<GreeterStreamsService>();

    var app = builder.Build();
    app.MapShoalServices();
    await app.StartAsync();
    Console.WriteLine($"Greeter listening: {app.GetShoalAddresses()}");
    await app.WaitForShutdownAsync();
    return 0;
}
catch (Exception e) when (e is InvalidOperationException or OptionsValidationException or IOException or FormatException)
{
    // Bad input (a port that is not a number, a port in use) ends with one line, not a stack trace.
    await Console.Error.WriteLineAsync($"greeter-server: cannot run: {e.Message}");
    return 2;
}
