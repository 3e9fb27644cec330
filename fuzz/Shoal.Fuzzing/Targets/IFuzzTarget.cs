namespace Shoal.Fuzzing.Targets;

/// <summary>One thing the harness fuzzes.</summary>
internal interface IFuzzTarget
{
    /// <summary>The name scripts/fuzz.sh and the corpus folders use.</summary>
    string Name { get; }

    /// <summary>One line on what it exercises.</summary>
    string Description { get; }

    /// <summary>
    /// Runs one input. Returns when the code under test handled it, including by rejecting it the way
    /// it documents for bad input; throws for anything else (a crash, a hang, unbounded memory, a broken invariant).
    /// </summary>
    void Run(ReadOnlySpan<byte> input);

    /// <summary>The seed corpus: small valid and near-valid inputs, by file name.</summary>
    IEnumerable<(string Name, byte[] Input)> Seeds();
}
