using Shoal.Cli.Tests.Deploy;

namespace Shoal.Cli.Tests.Contracts;

/// <summary>
/// The CLI compiles its own copies of the sample contracts it serves and calls, because nothing under
/// src/ references samples/ (a product component does not depend on an example): <c>shoal serve</c>
/// hosts the Greeter of <c>hello.proto</c> and <c>shoal demo --app shop</c> calls the shop's services.
/// The copies must stay byte-for-byte identical to the samples', so both sides speak one contract.
/// </summary>
public sealed class ContractCopyTests
{
    [Theory]
    [InlineData("src/Shoal.Cli/Greeter/hello.proto", "samples/Greeter/Greeter.Contracts/Protos/hello.proto")]
    [InlineData("src/Shoal.Cli/Greeter/hello_streams.proto", "samples/Greeter/Greeter.Contracts/Protos/hello_streams.proto")]
    [InlineData("src/Shoal.Cli/Commands/Demo/Shop/Protos/orders.proto", "samples/Shop/Shop.Contracts/Protos/orders.proto")]
    [InlineData("src/Shoal.Cli/Commands/Demo/Shop/Protos/inventory.proto", "samples/Shop/Shop.Contracts/Protos/inventory.proto")]
    [InlineData("src/Shoal.Cli/Commands/Demo/Shop/Protos/payment.proto", "samples/Shop/Shop.Contracts/Protos/payment.proto")]
    public void CliCopy_OfASampleContract_IsByteForByteIdentical(string copy, string original)
    {
        var root = Kustomize.RepositoryRoot();

        var copied = File.ReadAllBytes(Path.Combine(root, copy));
        var source = File.ReadAllBytes(Path.Combine(root, original));

        Assert.True(copied.AsSpan().SequenceEqual(source), $"{copy} differs from {original}; copy the sample's file again.");
    }
}
