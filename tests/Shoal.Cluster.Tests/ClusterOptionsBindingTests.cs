using System.Text;
using Grpc.Core;
using Microsoft.Extensions.Configuration;
using Shoal.Client.Cluster;
using Shoal.Instances;

namespace Shoal.Cluster.Tests;

public sealed class ClusterOptionsBindingTests
{
    private const string Json = """
        {
          "Shoal": {
            "Clients": {
              "hello.Greeter": {
                "Zone": "eu-west-1a",
                "Transports": [ "Grpc" ],
                "LoadBalancing": { "Policy": "round_robin", "WarmupPeriod": "00:00:30", "HashHeader": "x-user" },
                "DefaultMethod": { "Strategy": "failover", "Idempotent": false },
                "Methods": {
                  "/hello.Greeter/SayHello": { "Strategy": "failover", "Idempotent": true, "Retries": 3, "RetryableStatusCodes": [ "Unavailable", "ResourceExhausted" ] },
                  "/hello.Greeter/Lookup": { "Strategy": "hedging", "Idempotent": true, "HedgingDelay": "00:00:00.050" },
                  "hello.Greeter/*": { "Strategy": "failfast" }
                },
                "RetryBudget": { "Ratio": 0.1, "MinRetriesPerSecond": 5 },
                "OutlierEjection": { "ConsecutiveFailures": 3, "FailureStatusCodes": [ "Unavailable" ] },
                "HealthChecks": { "Enabled": true, "Interval": "00:00:02" }
              }
            }
          }
        }
        """;

    [Fact]
    public void AppSettingsSection_BindsEveryLayer()
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(Json))).Build();
        var options = new ClusterOptions();

        configuration.GetSection("Shoal:Clients:hello.Greeter").Bind(options);

        Assert.True(new ClusterOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal("eu-west-1a", options.Zone);
        Assert.Equal([TransportKind.Grpc], options.EffectiveTransports);
        Assert.Equal("round_robin", options.LoadBalancing.Policy);
        Assert.Equal(TimeSpan.FromSeconds(30), options.LoadBalancing.WarmupPeriod);
        var sayHello = options.Methods["/hello.Greeter/SayHello"];
        Assert.True(sayHello.Idempotent);
        Assert.Equal(3, sayHello.Retries);
        Assert.True(sayHello.IsRetryable(StatusCode.ResourceExhausted));
        Assert.False(sayHello.IsRetryable(StatusCode.Internal));
        Assert.Equal(TimeSpan.FromMilliseconds(50), options.Methods["/hello.Greeter/Lookup"].HedgingDelay);
        Assert.Equal("failfast", options.Methods["hello.Greeter/*"].Strategy);
        Assert.Equal(0.1, options.RetryBudget.Ratio);
        Assert.Equal([StatusCode.Unavailable], options.OutlierEjection.EffectiveFailureStatusCodes);
        Assert.True(options.HealthChecks.Enabled);
    }

    [Fact]
    public void EmptyLists_MeanTheDefaults()
    {
        var options = new ClusterOptions();

        Assert.Equal([TransportKind.Native, TransportKind.Grpc], options.EffectiveTransports);
        Assert.True(options.DefaultMethod.IsRetryable(StatusCode.Unavailable));
        Assert.False(options.DefaultMethod.IsRetryable(StatusCode.DeadlineExceeded));
        Assert.Contains(StatusCode.DeadlineExceeded, options.OutlierEjection.EffectiveFailureStatusCodes);
    }

    [Fact]
    public void Idempotent_LeftOutTrueOrFalse_BindsNullTrueOrFalse()
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(Json))).Build();
        var options = new ClusterOptions();

        configuration.GetSection("Shoal:Clients:hello.Greeter").Bind(options);

        // Left out: the method's contract (idempotency_level) decides; set either way: the setting wins.
        Assert.Null(options.Methods["hello.Greeter/*"].Idempotent);
        Assert.True(options.Methods["/hello.Greeter/Lookup"].Idempotent);
        Assert.False(options.DefaultMethod.Idempotent);
        Assert.Null(new ClusterOptions().DefaultMethod.Idempotent);
    }
}
