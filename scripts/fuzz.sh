#!/usr/bin/env bash
# Fuzzes one target of the harness in fuzz/Shoal.Fuzzing with afl-fuzz (AFL++) through SharpFuzz.
#
#   scripts/fuzz.sh TARGET DURATION      TARGET: server | client | payload | json | protobuf
#                                        DURATION: seconds, or with a unit: 90s, 15m, 1h
#
# Installs afl++ (Debian) when it is missing and the sharpfuzz tool (SharpFuzz.CommandLine 2.3.0)
# into artifacts/fuzz/tools, publishes the harness to artifacts/fuzz/bin, instruments the Shoal
# assemblies there (never the build output the tests use), and runs afl-fuzz on the seed corpus
# (fuzz/corpus/TARGET plus fuzz/regressions/TARGET). Ends with one line of figures: executions,
# paths, crashes and hangs. Findings stay in artifacts/fuzz/findings/TARGET-<time>/: afl-fuzz's
# crashes/ and hangs/, and exceptions.log with what each crashing input threw (or what a background
# thread threw before the process died). Replay one uninstrumented (the instrumented copy only runs
# under afl-fuzz) with
#   dotnet run --project fuzz/Shoal.Fuzzing -c Release -- run TARGET FILE...
# FUZZ_NO_BUILD=1 reuses the instrumented build of the previous run (several targets in a row).
# Exit code: 0 when the run found nothing, 1 when it found crashes or hangs, 2 for bad arguments.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: scripts/fuzz.sh server|client|payload|json|protobuf DURATION (e.g. 600, 10m, 1h)" >&2; exit 2; }
[ $# -eq 2 ] || usage
target=$1
case "$target" in server|client|payload|json|protobuf) ;; *) echo "fuzz: unknown target '$target'" >&2; usage ;; esac
case "$2" in
  *[!0-9smh]*|'') echo "fuzz: bad duration '$2'" >&2; usage ;;
  *h) seconds=$(( ${2%h} * 3600 )) ;;
  *m) seconds=$(( ${2%m} * 60 )) ;;
  *s) seconds=${2%s} ;;
  *) seconds=$2 ;;
esac
[ "$seconds" -gt 0 ] || usage

work=artifacts/fuzz
tools=$work/tools
bin=$work/bin
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if ! command -v afl-fuzz >/dev/null 2>&1; then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  echo "fuzz: installing afl++" >&2
  if ! "${sudo_cmd[@]}" apt-get install -y afl++ >/tmp/shoal-fuzz-apt.log 2>&1; then
    "${sudo_cmd[@]}" apt-get update >>/tmp/shoal-fuzz-apt.log 2>&1 || true
    "${sudo_cmd[@]}" apt-get install -y afl++ >>/tmp/shoal-fuzz-apt.log 2>&1 \
      || { echo "fuzz: could not install afl++ (see /tmp/shoal-fuzz-apt.log)" >&2; exit 1; }
  fi
fi
if [ ! -x "$tools/sharpfuzz" ]; then
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools" >/dev/null
fi

# A fresh publish each run: sharpfuzz rewrites assemblies in place.
if [ "${FUZZ_NO_BUILD:-}" != 1 ] || [ ! -f "$bin/Shoal.Fuzzing.dll" ]; then
  rm -rf "$bin"
  dotnet publish fuzz/Shoal.Fuzzing/Shoal.Fuzzing.csproj -c Release -o "$bin" -nologo -v quiet
  for dll in "$bin"/Shoal.Core.dll "$bin"/Shoal.Client.dll "$bin"/Shoal.Server.dll "$bin"/shoal.dll; do
    "$tools/sharpfuzz" "$dll" >/dev/null
  done
fi

seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
cp fuzz/corpus/"$target"/* "$seeds"/
if [ -d fuzz/regressions/"$target" ]; then
  find fuzz/regressions/"$target" -type f ! -name '*.txt' -exec cp {} "$seeds"/ \;
fi

out=$work/findings/$target-$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
echo "fuzz: $target for ${seconds}s, findings in $out" >&2
# As root in a container: dotnet is not an AFL-instrumented binary (the .NET code is), the kernel's
# core_pattern and CPU governor are not ours to change, and the machine is shared (no core pinning).
# -m none: the .NET runtime reserves far more address space than AFL's default limit; the harness
# bounds memory itself. -t: a generous per-input timeout on a loaded machine (the harness's own bound is 5 s).
SHOAL_FUZZ_FINDINGS=$PWD/$out/exceptions.log \
AFL_SKIP_BIN_CHECK=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1 \
  afl-fuzz -i "$seeds" -o "$out" -m none -t 20000 -V "$seconds" -- dotnet "$bin/Shoal.Fuzzing.dll" fuzz "$target" \
  >"$out/afl.log" 2>&1 || { tail -20 "$out/afl.log" >&2; echo "fuzz: afl-fuzz failed (log: $out/afl.log)" >&2; exit 1; }

stats=$out/default/fuzzer_stats
stat() { sed -n "s/^$1 *: *//p" "$stats"; }
crashes=$(stat saved_crashes); hangs=$(stat saved_hangs)
for f in "$out"/default/crashes/id:* "$out"/default/hangs/id:*; do
  [ -f "$f" ] && echo "finding: $f" >&2
done
if [ -f "$out/exceptions.log" ]; then
  echo "fuzz: what was thrown, by kind (details in $out/exceptions.log):" >&2
  grep -A1 '^--- ' "$out/exceptions.log" | grep -v '^--' | cut -c1-120 | sort | uniq -c | sort -rn | head -20 >&2
fi
echo "$target: $(stat execs_done) executions in $(stat run_time) s, $(stat corpus_count) paths, $crashes crashes, $hangs hangs"
[ "${crashes:-0}" -eq 0 ] && [ "${hangs:-0}" -eq 0 ]
