using System.Globalization;
using Shoal.Server;

// The embedded registry on 127.0.0.1: --port N (0 picks a free port; a restart passes the port it
// had). Prints "registry://127.0.0.1:port" when ready, stops gracefully on SIGTERM.
var port = 0;
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--port" && !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out port))
    {
        await Console.Error.WriteLineAsync($"registry-host: --port takes a number, got '{args[i + 1]}'");
        return 2;
    }
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.AddShoalServer(o =>
{
    o.Host = "127.0.0.1";
    o.TcpPort = port;
    o.GrpcPort = -1;
    o.ShutdownGracePeriod = TimeSpan.FromSeconds(2);
}).AddEmbeddedRegistry();
var app = builder.Build();
app.MapShoalServices();
await app.StartAsync();
Console.WriteLine($"registry://{app.GetShoalAddresses().Native!.Authority}");
await app.WaitForShutdownAsync();
return 0;
