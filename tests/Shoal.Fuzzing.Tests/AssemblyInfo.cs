// The harness bounds the memory one input allocates by the process's total: tests in parallel would count each other's.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
