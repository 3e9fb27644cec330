using Shoal.Server;

namespace SampleService.Server;

/// <summary>Builds the service's host; Program runs it and the tests start it in-process.</summary>
public static class ServiceHost
{
    /// <summary>
    /// A host serving <see cref="GreeterService"/> over the native protocol (<c>--tcp-port</c>,
    /// default 7000) and gRPC (<c>--grpc-port</c>, default 7001), with health and reflection;
    /// port 0 picks a free port. <c>--registry registry://host:port</c> registers the instance.
    /// </summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Configuration.AddShoalCommandLine(args);
        builder.AddShoalServer().AddService<GreeterService>();
        var app = builder.Build();
        app.MapShoalServices();
        return app;
    }
}
