using BenchmarkDotNet.Running;
using Shoal.Benchmarks.Registry;

// End-to-end latency benchmarks are plain console modes; everything else is BenchmarkDotNet.
if (args.Length > 0 && args[0] == RegistryWatchBenchmark.Name)
{
    return await RegistryWatchBenchmark.RunAsync(args[1..]);
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
