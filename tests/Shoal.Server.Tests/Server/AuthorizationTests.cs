using Grpc.Core;
using Hello;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;

using Shoal.Server.Tests.Infrastructure;

namespace Shoal.Server.Tests.Server;

/// <summary>ASP.NET Core authentication and authorization decide a call the same way on both ports.</summary>
public sealed class AuthorizationTests
{
    private readonly TestTokens _tokens = new();

    [Theory]
    [InlineData(TestTransport.Native)]
    [InlineData(TestTransport.Grpc)]
    public async Task AuthorizeRole_AnonymousValidWrongRoleForeign_UnauthenticatedOkDeniedUnauthenticated(TestTransport transport)
    {
        await using var host = await StartAsync(s => s.AddService<AuthorizedGreeter>());
        await using var channel = host.Channel(transport);
        var greeter = new Greeter.GreeterClient(channel);

        Assert.Equal(StatusCode.Unauthenticated, await StatusOf(greeter, token: null));
        Assert.Equal(StatusCode.PermissionDenied, await StatusOf(greeter, _tokens.Create("bob", "reader")));
        Assert.Equal(StatusCode.Unauthenticated, await StatusOf(greeter, TestTokens.CreateForeign("mallory", "greeter")));
        var reply = await greeter.SayHelloAsync(new HelloRequest { Name = "a" }, Bearer(_tokens.Create("alice", "greeter")), TestHost.Deadline());
        Assert.Equal("Hello a from alice", reply.Message);
    }

    [Theory]
    [InlineData(TestTransport.Native)]
    [InlineData(TestTransport.Grpc)]
    public async Task AllowAnonymousMethod_OfAnAuthorizedService_AnswersAnyoneAndKnowsTheCaller(TestTransport transport)
    {
        await using var host = await StartAsync(s => s.AddService<AuthorizedStreamsGreeter>());
        await using var channel = host.Channel(transport);
        var streams = new GreeterStreams.GreeterStreamsClient(channel);

        Assert.Equal("Hello x #1 from anonymous", await FirstOfMany(streams, headers: null));
        Assert.Equal("Hello x #1 from alice", await FirstOfMany(streams, Bearer(_tokens.Create("alice"))));

        // The rest of the service needs an authenticated caller.
        using var anonymous = streams.SayHelloToAll(deadline: TestHost.Deadline());
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await anonymous.RequestStream.CompleteAsync();
            await anonymous.ResponseAsync;
        });
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);

        using var known = streams.SayHelloToAll(Bearer(_tokens.Create("carol")), TestHost.Deadline());
        await known.RequestStream.WriteAsync(new HelloRequest { Name = "a" });
        await known.RequestStream.WriteAsync(new HelloRequest { Name = "b" });
        await known.RequestStream.CompleteAsync();
        Assert.Equal("Hello a, b from carol", (await known.ResponseAsync).Message);
    }

    [Theory]
    [InlineData(TestTransport.Native)]
    [InlineData(TestTransport.Grpc)]
    public async Task RequireAuthorizationOnMapShoalServices_PolicyWithRole_DecidesEveryMethod(TestTransport transport)
    {
        await using var host = await StartAsync(
            s => s.AddService<GreeterService>(),
            authorization: o => o.AddPolicy("admins", p => p.RequireRole("admin")),
            conventions: c => c.RequireAuthorization("admins"));
        await using var channel = host.Channel(transport);
        var greeter = new Greeter.GreeterClient(channel);

        Assert.Equal(StatusCode.Unauthenticated, await StatusOf(greeter, token: null));
        Assert.Equal(StatusCode.PermissionDenied, await StatusOf(greeter, _tokens.Create("bob", "greeter")));
        Assert.Equal(StatusCode.OK, await StatusOf(greeter, _tokens.Create("root", "admin")));
    }

    [Theory]
    [InlineData(TestTransport.Native)]
    [InlineData(TestTransport.Grpc)]
    public async Task FallbackPolicy_MethodWithoutMetadata_RefusesAnonymous(TestTransport transport)
    {
        await using var host = await StartAsync(
            s => s.AddService<GreeterService>(),
            authorization: o => o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        await using var channel = host.Channel(transport);
        var greeter = new Greeter.GreeterClient(channel);

        Assert.Equal(StatusCode.Unauthenticated, await StatusOf(greeter, token: null));
        Assert.Equal(StatusCode.OK, await StatusOf(greeter, _tokens.Create("alice")));
    }

    [Fact]
    public async Task NoAuthorizationServices_AuthorizedMethodOnNative_FailsClosed()
    {
        // Without AddAuthorization the gRPC port fails the request too (ASP.NET Core finds no
        // authorization middleware); the native port must never run the handler.
        await using var host = await TestHost.StartAsync(only: TestTransport.Native, services: s => s.AddService<AuthorizedGreeter>());
        await using var channel = host.Channel(TestTransport.Native);

        Assert.Equal(StatusCode.PermissionDenied, await StatusOf(new Greeter.GreeterClient(channel), _tokens.Create("alice", "greeter")));
    }

    [Fact]
    public async Task MethodWithoutMetadata_OnNative_HandlerSeesAnHttpContext()
    {
        await using var host = await StartAsync(s => s.AddService<HttpContextGreeter>());
        await using var channel = host.Channel(TestTransport.Native);

        var reply = await new Greeter.GreeterClient(channel).SayHelloAsync(new HelloRequest { Name = "a" }, new Metadata { { "x-tag", "t1" } }, TestHost.Deadline());

        Assert.Equal("POST /hello.Greeter/SayHello t1 anonymous", reply.Message);
    }

    private Task<TestHost> StartAsync(
        Action<Shoal.Server.IShoalServerBuilder> services,
        Action<AuthorizationOptions>? authorization = null,
        Action<Shoal.Server.ShoalServicesConventionBuilder>? conventions = null)
        => TestHost.StartAsync(services: services, builder: b => _tokens.AddTo(b, authorization), conventions: conventions);

    private static Metadata? Bearer(string? token) => token is null ? null : new Metadata { { "authorization", "Bearer " + token } };

    private static async Task<StatusCode> StatusOf(Greeter.GreeterClient greeter, string? token)
    {
        try
        {
            await greeter.SayHelloAsync(new HelloRequest { Name = "a" }, Bearer(token), TestHost.Deadline());
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    private static async Task<string> FirstOfMany(GreeterStreams.GreeterStreamsClient streams, Metadata? headers)
    {
        using var call = streams.SayHelloMany(new ManyHellosRequest { Name = "x", Count = 1 }, headers, TestHost.Deadline());
        var replies = new List<string>();
        await foreach (var reply in call.ResponseStream.ReadAllAsync())
        {
            replies.Add(reply.Message);
        }
        return Assert.Single(replies);
    }
}
