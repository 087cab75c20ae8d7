#!/usr/bin/env bash
# The full chaos run of issue 12 (10 minutes by default; pass a number of seconds to change it): three silo
# processes on a private PostgreSQL, a random silo SIGKILLed every 20-40 s and the database restarted once, under a
# 500-branch loop with 200 ms sessions. Prints the figures docs/operations.md quotes. The default test run
# (tests/run-all.sh) runs the same test for 60 s.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-600}"
report=$(mktemp /tmp/mimicry-chaos.XXXXXX)
dotnet build Mimicry.sln -c Release --nologo -v quiet
MIMICRY_CHAOS_SECONDS="$seconds" MIMICRY_FAULT_REPORT="$report" MIMICRY_TEST_POSTGRES="${MIMICRY_TEST_POSTGRES:-unused}" \
  dotnet test tests/Mimicry.IntegrationTests -c Release --no-build --nologo -v quiet --filter "FullyQualifiedName~Fault.ChaosTests"
cat "$report"
rm -f "$report"
