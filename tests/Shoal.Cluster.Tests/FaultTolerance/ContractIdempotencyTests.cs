using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Client.Cluster;
using Shoal.Client.Cluster.FaultTolerance;
using Shoal.Client.Cluster.Internal;
using Shoal.Cluster.Tests.Fakes;
using Shoal.Cluster.Tests.Protos;

namespace Shoal.Cluster.Tests.FaultTolerance;

/// <summary>
/// Idempotency from the contract: the generated clients of Protos/ledger.proto (a method at each
/// <c>idempotency_level</c>) through failover over three instances that all answer Unavailable. A
/// method the cluster treats as idempotent is tried three times (1 + <c>Retries</c> 2), any other once.
/// </summary>
public sealed class ContractIdempotencyTests
{
    private const string Ledger = "shoal.cluster.test.Ledger";
    private const int Retried = 3;
    private const int NotRetried = 1;

    private static Task<object> Unavailable(TestCall _) => Task.FromException<object>(new RpcException(new Status(StatusCode.Unavailable, "injected")));

    private static async Task<int> AttemptsAsync(string method, ClusterOptions? options = null,
        IEnumerable<Google.Protobuf.Reflection.ServiceDescriptor>? descriptors = null, bool protobuf = true)
    {
        await using var harness = new ClusterHarness(options ?? ClusterHarness.PlainOptions(idempotent: null), serviceDescriptors: descriptors);
        harness.Factory.Handler = Unavailable;
        harness.AddInstances(3);
        var call = protobuf ? Generated(harness.Invoker, method) : Raw(harness.Invoker, method);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.WithTimeout());
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        return harness.TotalCalls;
    }

    private static Task Generated(CallInvoker invoker, string method)
    {
        var ledger = new Protos.Ledger.LedgerClient(invoker);
        return method switch
        {
            "Get" => ledger.GetAsync(new Key()).ResponseAsync,
            "Put" => ledger.PutAsync(new Entry()).ResponseAsync,
            "Append" => ledger.AppendAsync(new Entry()).ResponseAsync,
            "Transfer" => ledger.TransferAsync(new Entry()).ResponseAsync,
            "Count" => ledger.CountAsync(new Google.Protobuf.WellKnownTypes.Empty()).ResponseAsync,
            "Ping" => ledger.PingAsync(new Google.Protobuf.WellKnownTypes.Empty()).ResponseAsync,
            "Catalog.Lookup" => new Catalog.CatalogClient(invoker).LookupAsync(new Key()).ResponseAsync,
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
        };
    }

    /// <summary>The same method through a non-protobuf marshaller (strings), as a hand-written or dynamic client calls it.</summary>
    private static Task<string> Raw(CallInvoker invoker, string method)
        => invoker.AsyncUnaryCall(new Method<string, string>(MethodType.Unary, Ledger, method, TestMethods.Unary.RequestMarshaller, TestMethods.Unary.ResponseMarshaller),
            null, default, "raw").ResponseAsync;

    [Theory]
    [InlineData("Get", Retried)]            // NO_SIDE_EFFECTS
    [InlineData("Put", Retried)]            // IDEMPOTENT
    [InlineData("Append", NotRetried)]      // IDEMPOTENCY_UNKNOWN
    [InlineData("Transfer", NotRetried)]    // no option
    [InlineData("Count", Retried)]          // request type from google/protobuf/empty.proto
    [InlineData("Ping", Retried)]           // both types from google/protobuf/empty.proto
    [InlineData("Catalog.Lookup", Retried)] // service in the same file as its messages
    public async Task GeneratedClient_NoIdempotencyConfigured_TheContractDecides(string method, int expectedAttempts)
    {
        Assert.Equal(expectedAttempts, await AttemptsAsync(method));
    }

    [Fact]
    public async Task ExplicitFalse_OnAMethodTheContractCallsARead_WinsAndItIsNotRetried()
    {
        var options = ClusterHarness.PlainOptions(idempotent: null);
        options.Methods[$"/{Ledger}/Get"] = new MethodPolicy { Idempotent = false };

        Assert.Equal(NotRetried, await AttemptsAsync("Get", options));
    }

    [Fact]
    public async Task ExplicitTrue_OnAMethodTheContractSaysNothingAbout_WinsAndItIsRetried()
    {
        var options = ClusterHarness.PlainOptions(idempotent: null);
        options.Methods[$"/{Ledger}/Transfer"] = new MethodPolicy { Idempotent = true };

        Assert.Equal(Retried, await AttemptsAsync("Transfer", options));
    }

    [Fact]
    public async Task ServiceWildcardThatLeavesIdempotencyOut_KeepsTheContractPerMethod()
    {
        var options = ClusterHarness.PlainOptions(idempotent: null);
        options.Methods[$"{Ledger}/*"] = new MethodPolicy { Strategy = FaultToleranceNames.Failover, Retries = 1 };

        Assert.Equal(2, await AttemptsAsync("Get", options));
        Assert.Equal(NotRetried, await AttemptsAsync("Transfer", options));
    }

    [Fact]
    public async Task DefaultMethodExplicitlyNotIdempotent_OverridesEveryContract()
    {
        Assert.Equal(NotRetried, await AttemptsAsync("Get", ClusterHarness.PlainOptions(idempotent: false)));
    }

    [Fact]
    public async Task NonProtobufMarshaller_SameNameAsAContractRead_IsNotIdempotent()
    {
        Assert.Equal(NotRetried, await AttemptsAsync("Get", protobuf: false));
    }

    [Fact]
    public async Task RegisteredDescriptor_NonProtobufMarshaller_ItsLevelApplies()
    {
        Assert.Equal(Retried, await AttemptsAsync("Get", descriptors: [Protos.Ledger.Descriptor], protobuf: false));
        Assert.Equal(NotRetried, await AttemptsAsync("Transfer", descriptors: [Protos.Ledger.Descriptor], protobuf: false));
    }

    [Fact]
    public void PolicyTable_SameMethodAgainAndAnotherObjectOfTheSameName_ResolvedOnceAndCached()
    {
        var options = ClusterHarness.PlainOptions(idempotent: null);
        var strategies = new Dictionary<string, IFaultToleranceStrategy> { [FaultToleranceNames.Failover] = new FailoverStrategy() };
        var table = new MethodPolicyTable(options, strategies, new MethodContracts([]), "test", NullLogger.Instance);

        var first = table.Resolve(GetMethod());
        var again = table.Resolve(GetMethod());

        Assert.True(first.Policy.Idempotent);
        Assert.Same(first.Policy, again.Policy);
        // The configured policy is left as it was: the contract's answer lives in the resolved copy.
        Assert.Null(options.DefaultMethod.Idempotent);
    }

    [Fact]
    public void Contracts_EachGeneratedMethod_IsFoundWithItsLevel()
    {
        var contracts = new MethodContracts([]);

        var get = contracts.Find(GetMethod());
        var ping = contracts.Find(new Method<Google.Protobuf.WellKnownTypes.Empty, Google.Protobuf.WellKnownTypes.Empty>(
            MethodType.Unary, Ledger, "Ping", ProtobufMarshaller(Google.Protobuf.WellKnownTypes.Empty.Parser), ProtobufMarshaller(Google.Protobuf.WellKnownTypes.Empty.Parser)));
        var missing = contracts.Find(new Method<Key, Entry>(MethodType.Unary, Ledger, "NoSuchMethod", ProtobufMarshaller(Key.Parser), ProtobufMarshaller(Entry.Parser)));

        Assert.Equal($"{Ledger}.Get", get?.FullName);
        Assert.Equal(Google.Protobuf.Reflection.MethodOptions.Types.IdempotencyLevel.NoSideEffects, MethodContracts.LevelOf(get!));
        Assert.Equal(Google.Protobuf.Reflection.MethodOptions.Types.IdempotencyLevel.Idempotent, MethodContracts.LevelOf(ping!));
        Assert.Null(missing);
    }

    private static Method<Key, Entry> GetMethod()
        => new(MethodType.Unary, Ledger, "Get", ProtobufMarshaller(Key.Parser), ProtobufMarshaller(Entry.Parser));

    private static Marshaller<T> ProtobufMarshaller<T>(MessageParser<T> parser)
        where T : IMessage<T> => Marshallers.Create(static (T m) => m.ToByteArray(), parser.ParseFrom);
}
