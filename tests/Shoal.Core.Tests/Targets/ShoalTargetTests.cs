using Shoal.Targets;

namespace Shoal.Core.Tests.Targets;

public class ShoalTargetTests
{
    [Theory]
    [InlineData("shoal://127.0.0.1:7000", "shoal", "127.0.0.1:7000", "")]
    [InlineData("http://localhost:7001", "http", "localhost:7001", "")]
    [InlineData("registry://127.0.0.1:7070/hello.Greeter", "registry", "127.0.0.1:7070", "hello.Greeter")]
    [InlineData("etcd://127.0.0.1:2379,127.0.0.1:2381/hello.Greeter", "etcd", "127.0.0.1:2379,127.0.0.1:2381", "hello.Greeter")]
    [InlineData("dns:///greeter.local:7000", "dns", "", "greeter.local:7000")]
    [InlineData("static://127.0.0.1:7000,127.0.0.1:7002", "static", "127.0.0.1:7000,127.0.0.1:7002", "")]
    [InlineData("SHOAL://[::1]:7000", "shoal", "[::1]:7000", "")]
    public void Parse_WellFormedTarget_SplitsSchemeAuthorityAndPath(string text, string scheme, string authority, string path)
    {
        var target = ShoalTarget.Parse(text);

        Assert.Equal(scheme, target.Scheme);
        Assert.Equal(authority, target.Authority);
        Assert.Equal(path, target.Path);
    }

    [Fact]
    public void Parse_StaticList_YieldsOneHostPerEntry()
    {
        var target = ShoalTarget.Parse("static://127.0.0.1:7000, 127.0.0.1:7002?transport=grpc&lb=round_robin");

        Assert.Equal(new[] { "127.0.0.1:7000", "127.0.0.1:7002" }, target.Hosts.ToArray());
        Assert.Equal("grpc", target.Query["transport"]);
        Assert.Equal("round_robin", target.Query["LB"]);
        Assert.False(target.IsDirect);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("127.0.0.1:7000", "no scheme")]
    [InlineData("shoal://127.0.0.1", "not host:port")]
    [InlineData("shoal://127.0.0.1:70000", "not host:port")]
    [InlineData("shoal://a:1,b:2", "takes one")]
    [InlineData("registry://127.0.0.1:7070", "names no service")]
    [InlineData("dns:///greeter.local", "dns:///name:port")]
    [InlineData("http://::1:80", "not host:port")]
    public void TryParse_MalformedTarget_SaysWhy(string text, string reason)
    {
        Assert.False(ShoalTarget.TryParse(text, out var target, out var error));
        Assert.Null(target);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MalformedTarget_ThrowsFormatException()
        => Assert.Throws<FormatException>(() => ShoalTarget.Parse("nonsense"));
}
