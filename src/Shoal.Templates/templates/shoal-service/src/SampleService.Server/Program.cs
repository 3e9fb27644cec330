using Shoal.Server;
using SampleService.Server;

var app = ServiceHost.Build(args);
await app.StartAsync();
Console.WriteLine($"SampleService listening: {app.GetShoalAddresses()}");
await app.WaitForShutdownAsync();
