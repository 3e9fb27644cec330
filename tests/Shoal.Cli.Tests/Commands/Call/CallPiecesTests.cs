using Shoal.Cli.Commands;
using Shoal.Cli.Commands.Call;
using Shoal.Cli.Tests.Reflection;

namespace Shoal.Cli.Tests.Commands.Call;

public sealed class CallPiecesTests
{
    [Theory]
    [InlineData("hello.Greeter/SayHello", "hello.Greeter", "SayHello")]
    [InlineData("/hello.Greeter/SayHello", "hello.Greeter", "SayHello")]
    [InlineData("hello.Greeter.SayHello", "hello.Greeter", "SayHello")]
    public void MethodNames_Parse(string text, string service, string method)
    {
        Assert.Equal(new MethodName(service, method), MethodName.Parse(text));
    }

    [Theory]
    [InlineData("SayHello")]
    [InlineData("hello.Greeter/")]
    [InlineData("/")]
    public void MalformedMethodNames_AreUsageErrors(string text)
    {
        Assert.Throws<UsageException>(() => MethodName.Parse(text));
    }

    [Fact]
    public void UnaryRequest_IsOneObject_AndEmptyMeansEmptyObject()
    {
        Assert.Equal("{\"name\":\"a\"}", RequestReader.Read("{\"name\":\"a\"}", streaming: false).Single().GetRawText());
        Assert.Equal("{}", RequestReader.Read("  ", streaming: false).Single().GetRawText());
    }

    [Theory]
    [InlineData("""[{"name":"a"},{"name":"b"}]""")]
    [InlineData("{\"name\":\"a\"}\n{\"name\":\"b\"}\n")]
    [InlineData("{\"name\":\"a\"} {\"name\":\"b\"}")]
    public void StreamingRequests_AreAnArrayOrNewlineDelimited(string text)
    {
        var requests = RequestReader.Read(text, streaming: true);

        Assert.Equal(["a", "b"], requests.Select(r => r.GetProperty("name").GetString()));
    }

    [Theory]
    [InlineData("""{"name":"a"} {"name":"b"}""", "got 2 JSON values")]
    [InlineData("""[{"name":"a"}]""", "not an array")]
    [InlineData("""{"name":""", "not valid JSON")]
    public void BadUnaryRequests_AreRejected(string text, string reason)
    {
        var ex = Assert.Throws<FormatException>(() => RequestReader.Read(text, streaming: false));

        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SecondStreamingRequestMalformed_SaysWhichOne()
    {
        var ex = Assert.Throws<FormatException>(() => RequestReader.Read("{\"name\":\"a\"}\n{\"name\":", streaming: true));

        Assert.Contains("request 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Headers_ParseAsMetadata_WithBinaryKeysFromBase64()
    {
        var request = new CallRequest("http://h:1", "a/b", null, null, ["x-delay-ms: 5", "Trace-Bin: AQI="], null, false);

        var metadata = request.ParseHeaders();

        Assert.Equal("5", metadata.GetValue("x-delay-ms"));
        Assert.Equal(new byte[] { 1, 2 }, metadata.GetValueBytes("trace-bin"));
    }

    [Theory]
    [InlineData("no colon")]
    [InlineData("x-bin: not base64!")]
    public void MalformedHeaders_AreUsageErrors(string header)
    {
        var request = new CallRequest("http://h:1", "a/b", null, null, [header], null, false);

        Assert.Throws<UsageException>(() => request.ParseHeaders());
    }

    [Fact]
    public async Task RequestFromStdin_IsReadWithDataAt()
    {
        var request = new CallRequest("http://h:1", "a/b", null, "@", [], null, false);

        Assert.Equal("{\"name\":\"in\"}", await request.ReadJsonAsync(new StringReader("{\"name\":\"in\"}")));
    }

    [Fact]
    public async Task RequestAsArgumentAndData_IsAUsageError()
    {
        var request = new CallRequest("http://h:1", "a/b", "{}", "{}", [], null, false);

        await Assert.ThrowsAsync<UsageException>(() => request.ReadJsonAsync(TextReader.Null));
    }

    [Fact]
    public void DescribeText_ShowsStreamingKindsAndFieldLabels()
    {
        var streams = CodecFixtures.Set.FindService("hello.GreeterStreams")!;
        var all = CodecFixtures.AllTypesDescriptor;

        var service = ProtoText.Describe(streams);
        var message = ProtoText.Describe(all);

        Assert.Contains("rpc Chat (stream hello.HelloRequest) returns (stream hello.HelloReply);", service, StringComparison.Ordinal);
        Assert.Contains("rpc SayHelloMany (hello.ManyHellosRequest) returns (stream hello.HelloReply);", service, StringComparison.Ordinal);
        Assert.Contains("map<int64, string> labels = 31;", message, StringComparison.Ordinal);
        Assert.Contains("repeated shoal.cli.test.Inner inners = 26;", message, StringComparison.Ordinal);
        Assert.Contains("optional int32 maybe = 45;", message, StringComparison.Ordinal);
    }
}
