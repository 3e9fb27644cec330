using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Shoal.Registry.Etcd;
using Shoal.Registry.Tests.Support;
using Shoal.Server.Tests.Infrastructure;

namespace Shoal.Registry.Tests.Etcd;

/// <summary>
/// The etcd registry against a real etcd that authenticates its clients: one started with
/// <c>--client-cert-auth</c> (TLS, certificates from an authority made in the test, nothing trusts
/// any certificate), one with <c>auth enable</c> and a user whose role may write only Shoal's prefix.
/// </summary>
public sealed class EtcdSecurityTests : IDisposable
{
    private const string Service = "hello.Greeter";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly TestCertificates _ca = new("Etcd Test CA");

    public void Dispose() => _ca.Dispose();

    [Fact]
    public async Task ClientCertAuth_WithCaAndClientCertificate_RegistersAndWatches()
    {
        await using var etcd = await EtcdMember.StartWithClientCertAuthAsync(_ca.IssueServer(), _ca.AuthorityPath);
        var client = _ca.IssueClient("shoal-server");
        await using var registry = new EtcdServiceRegistry(Options(etcd, o =>
        {
            o.Tls.CaPath = _ca.AuthorityPath;
            o.Tls.CertificatePath = client.Certificate;
            o.Tls.KeyPath = client.Key;
        }));
        await using var probe = WatchProbe.Start(registry, Service);

        await using var registration = await registry.RegisterAsync(TestInstances.Create("tls-1"), TimeSpan.FromSeconds(10));

        Assert.True(registration.IsLeaseHeld);
        await probe.WaitForAsync(s => s.Has("tls-1"), Wait, "tls-1 registered over TLS");
    }

    [Fact]
    public async Task ClientCertAuth_WithoutAClientCertificateOrWithAnotherCa_NotRegistered()
    {
        await using var etcd = await EtcdMember.StartWithClientCertAuthAsync(_ca.IssueServer(), _ca.AuthorityPath);
        using var stranger = new TestCertificates("Stranger CA");
        var foreign = stranger.IssueClient("mallory");
        await using var noCertificate = new EtcdServiceRegistry(Options(etcd, o => o.Tls.CaPath = _ca.AuthorityPath));
        await using var wrongCa = new EtcdServiceRegistry(Options(etcd, o =>
        {
            o.Tls.CaPath = _ca.AuthorityPath;
            o.Tls.CertificatePath = foreign.Certificate;
            o.Tls.KeyPath = foreign.Key;
        }));
        // And a client that does not trust the server's authority.
        await using var untrusting = new EtcdServiceRegistry(Options(etcd, o => o.Tls.CaPath = stranger.AuthorityPath));

        await using var first = await noCertificate.RegisterAsync(TestInstances.Create("no-cert"), TimeSpan.FromSeconds(10));
        await using var second = await wrongCa.RegisterAsync(TestInstances.Create("wrong-ca"), TimeSpan.FromSeconds(10));
        await using var third = await untrusting.RegisterAsync(TestInstances.Create("untrusting"), TimeSpan.FromSeconds(10));

        // The handshake fails, which a client cannot tell from an unreachable member: no lease, retrying.
        Assert.False(first.IsLeaseHeld);
        Assert.False(second.IsLeaseHeld);
        Assert.False(third.IsLeaseHeld);
    }

    [Fact]
    public async Task AuthEnabled_UserWithRole_RegistersAndWatches_WrongPasswordAndNoUserRefused()
    {
        await using var etcd = await EtcdMember.StartSingleAsync();
        await EnableAuthAsync(etcd.ClientUrl);
        await using var member = new EtcdServiceRegistry(Options(etcd, o =>
        {
            o.Username = "shoal";
            o.Password = "shoal-pw-41";
        }));
        await using var probe = WatchProbe.Start(member, Service);
        await using var wrongPassword = new EtcdServiceRegistry(Options(etcd, o =>
        {
            o.Username = "shoal";
            o.Password = "guess";
        }));
        await using var anonymous = new EtcdServiceRegistry(Options(etcd));

        await using var registration = await member.RegisterAsync(TestInstances.Create("user-1"), TimeSpan.FromSeconds(10));
        var refused = await Assert.ThrowsAsync<RpcException>(() => wrongPassword.RegisterAsync(TestInstances.Create("intruder"), TimeSpan.FromSeconds(10)));
        // etcd grants leases without a user, then refuses the put: no lease is held, whichever step refuses.
        await using var anonymousRegistration = await anonymous.RegisterAsync(TestInstances.Create("anonymous"), TimeSpan.FromSeconds(10));

        Assert.True(registration.IsLeaseHeld);
        await probe.WaitForAsync(s => s.Has("user-1") && !s.Has("intruder") && !s.Has("anonymous"), Wait, "user-1 registered by the user");
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains("shoal", refused.Status.Detail);
        Assert.False(anonymousRegistration.IsLeaseHeld);
    }

    [Fact]
    public async Task ClientCertAuth_EtcdAddressWithTls_ReachesTheMembersOverHttps()
    {
        await using var etcd = await EtcdMember.StartWithClientCertAuthAsync(_ca.IssueServer(), _ca.AuthorityPath);
        var client = _ca.IssueClient("shoal-server");
        await using var registry = EtcdServiceRegistry.FromAddress($"etcd://127.0.0.1:{etcd.ClientPort}", o =>
        {
            o.Tls.CaPath = _ca.AuthorityPath;
            o.Tls.CertificatePath = client.Certificate;
            o.Tls.KeyPath = client.Key;
        });

        await using var registration = await registry.RegisterAsync(TestInstances.Create("address-1"), TimeSpan.FromSeconds(10));

        Assert.True(registration.IsLeaseHeld);
    }

    private static EtcdRegistryOptions Options(EtcdMember etcd, Action<EtcdRegistryOptions>? configure = null)
    {
        var options = new EtcdRegistryOptions { Endpoints = [etcd.ClientUrl], ReconnectDelay = TimeSpan.FromMilliseconds(50), MaxReconnectDelay = TimeSpan.FromMilliseconds(500) };
        configure?.Invoke(options);
        return options;
    }

    // etcd's RBAC: root (required to enable auth) and a user whose role reads and writes only /shoal/.
    private static async Task EnableAuthAsync(Uri endpoint)
    {
        using var channel = GrpcChannel.ForAddress(endpoint);
        var auth = new Auth.AuthClient(channel);
        var deadline = DateTime.UtcNow.Add(Wait);
        await auth.RoleAddAsync(new AuthRoleAddRequest { Name = "root" }, deadline: deadline);
        await auth.UserAddAsync(new AuthUserAddRequest { Name = "root", Password = "root-pw-17" }, deadline: deadline);
        await auth.UserGrantRoleAsync(new AuthUserGrantRoleRequest { User = "root", Role = "root" }, deadline: deadline);
        await auth.RoleAddAsync(new AuthRoleAddRequest { Name = "shoal" }, deadline: deadline);
        await auth.RoleGrantPermissionAsync(new AuthRoleGrantPermissionRequest
        {
            Name = "shoal",
            Perm = new Authpb.Permission { Key = ByteString.CopyFromUtf8("/shoal/"), RangeEnd = ByteString.CopyFromUtf8("/shoal0"), PermType = Authpb.Permission.Types.Type.Readwrite },
        }, deadline: deadline);
        await auth.UserAddAsync(new AuthUserAddRequest { Name = "shoal", Password = "shoal-pw-41" }, deadline: deadline);
        await auth.UserGrantRoleAsync(new AuthUserGrantRoleRequest { User = "shoal", Role = "shoal" }, deadline: deadline);
        await auth.AuthEnableAsync(new AuthEnableRequest(), deadline: deadline);
    }
}
