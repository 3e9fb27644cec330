namespace Shoal.Fuzzing.Infrastructure;

/// <summary>
/// What a target raises for a finding that is not an exception of the code under test: a run past
/// its time bound, an allocation past its memory bound, or a broken round trip. Always a crash.
/// </summary>
internal sealed class FuzzFindingException(string message) : Exception(message);
