using System.Security.Cryptography;
using SharpFuzz;
using Shoal.Fuzzing;
using Shoal.Fuzzing.Targets;

// shoal-fuzz: the harness scripts/fuzz.sh runs under afl-fuzz, and the tool to replay and seed it.
const string Usage = "usage: Shoal.Fuzzing fuzz TARGET | run TARGET PATH... | seeds DIR | list";

if (args is ["list"])
{
    foreach (var name in FuzzTargets.Names)
    {
        Console.WriteLine($"{name,-9} {FuzzTargets.Create(name)!.Description}");
    }
    return 0;
}
if (args is ["seeds", var root])
{
    Console.WriteLine($"wrote {FuzzRunner.WriteSeeds(root)} seeds under {root}");
    return 0;
}
if (args is not ["fuzz" or "run", var targetName, ..] || (args[0] == "fuzz" && args.Length != 2) || (args[0] == "run" && args.Length < 3))
{
    Console.Error.WriteLine(Usage);
    return 2;
}
if (!FuzzTargets.Names.Contains(targetName))
{
    Console.Error.WriteLine($"unknown target '{targetName}' (targets: {string.Join(", ", FuzzTargets.Names)})");
    return 2;
}

if (args[0] == "fuzz")
{
    // Persistent mode: afl-fuzz feeds one input after another to a child process, restarted when it dies.
    // The target is made inside the callback: instrumented code may only run once SharpFuzz has set up
    // its coverage map, and a target's constructor already runs Shoal code.
    // afl-fuzz keeps the crashing input but not what was thrown: SHOAL_FUZZ_FINDINGS names a file for that.
    var findings = Environment.GetEnvironmentVariable("SHOAL_FUZZ_FINDINGS");
    if (findings is not null)
    {
        // An exception on another thread kills the child, and afl-fuzz blames whichever input runs then.
        AppDomain.CurrentDomain.UnhandledException += (_, e) => File.AppendAllText(findings, $"--- {DateTime.UtcNow:O} unhandled on a background thread\n{e.ExceptionObject}\n");
    }
    IFuzzTarget? fuzzed = null;
    Fuzzer.OutOfProcess.Run(stream =>
    {
        fuzzed ??= FuzzTargets.Create(targetName)!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var input = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        try
        {
            FuzzRunner.Execute(fuzzed, input);
        }
        catch (Exception e) when (findings is not null)
        {
            File.AppendAllText(findings, $"--- {DateTime.UtcNow:O} input sha256:{Convert.ToHexStringLower(SHA256.HashData(input))} ({input.Length} bytes)\n{e}\n");
            throw;
        }
    });
    return 0;
}

var target = FuzzTargets.Create(targetName)!;
var crashes = 0;
var files = FuzzRunner.Files(args[2..]).ToList();
foreach (var file in files)
{
    var finding = FuzzRunner.Replay(target, File.ReadAllBytes(file));
    if (finding is null)
    {
        continue;
    }
    crashes++;
    Console.WriteLine($"CRASH {file}: {finding.GetType().FullName}: {finding.Message}");
    Console.Error.WriteLine(finding);
}
Console.WriteLine($"{files.Count} inputs, {crashes} crashes");
return crashes == 0 ? 0 : 1;
