using Grpc.Core;

namespace Shoal.Cli.Commands.Bench;

/// <summary>One of the runs <see cref="BenchRunner.RunInterleavedAsync"/> measures in alternation: its name and target in the results, and one invoker per connection.</summary>
internal sealed record InterleavedRun(string Name, string Target, IReadOnlyList<CallInvoker> Invokers);
