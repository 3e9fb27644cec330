using Shoal.Client.Discovery.Embedded;
using Shoal.Instances;
using Shoal.Registry.Etcd.Internal;
using Shoal.Registry.Tests.Support;

namespace Shoal.Registry.Tests.Embedded;

public sealed class InstanceMessagesTests
{
    [Fact]
    public void RoundTrip_FullInstance_EveryFieldSurvives()
    {
        var instance = TestInstances.Create("a-1", "hello.Greeter", "shop.Orders");

        var back = InstanceMessages.FromMessage(InstanceMessages.ToMessage(instance));

        Assert.Equal(instance, back, InstanceComparer.Instance);
    }

    [Fact]
    public void FromMessage_UnknownTransport_IsSkipped()
    {
        var message = InstanceMessages.ToMessage(TestInstances.Create("a-1"));
        message.Addresses["quic"] = "quic://127.0.0.1:9";

        var back = InstanceMessages.FromMessage(message);

        Assert.Equal([TransportKind.Native, TransportKind.Grpc], back.Addresses.Keys.Order());
    }

    [Fact]
    public void FromMessage_AddressNotAUri_ThrowsWithTheInstanceAndAddress()
    {
        var message = InstanceMessages.ToMessage(TestInstances.Create("a-1"));
        message.Addresses["native"] = "not a uri";

        var error = Assert.Throws<ArgumentException>(() => InstanceMessages.FromMessage(message));

        Assert.Contains("a-1", error.Message);
        Assert.Contains("not a uri", error.Message);
    }

    [Fact]
    public void EtcdDocument_RoundTrip_EveryFieldSurvives()
    {
        var instance = TestInstances.Create("a-1", "hello.Greeter", "shop.Orders");

        var back = EtcdInstanceDocument.Deserialize(EtcdInstanceDocument.Serialize(instance));

        Assert.Equal(instance, back, InstanceComparer.Instance);
    }

    [Fact]
    public void EtcdDocument_NotJson_Throws()
    {
        Assert.ThrowsAny<Exception>(() => EtcdInstanceDocument.Deserialize("{not json"u8));
        Assert.Throws<FormatException>(() => EtcdInstanceDocument.Deserialize("null"u8));
    }
}
