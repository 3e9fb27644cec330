#!/usr/bin/env bash
# Runs every test of Shoal. Installs what the tests need that is missing (see scripts/install-test-deps.sh),
# builds the solution in Release, runs each test project, and ends with one line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"

./scripts/install-test-deps.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build Shoal.slnx -c Release -nologo -v quiet

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
status=0
# One test project at a time: the functional and demo tests measure latency and must not share 2 cores with each other.
dotnet test Shoal.slnx -c Release --no-build -nologo -m:1 \
  --logger "trx" --results-directory "$results" \
  --blame-hang-timeout 5m || status=$?

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  s=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${s:-0}))
done
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
  echo "no test ran" >&2
  status=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
