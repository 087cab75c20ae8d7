#!/usr/bin/env bash
# Sets up what the tests need on a fresh machine, then runs every test. `.ci/run` calls exactly this.
# Idempotent: installs only what is missing. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v dotnet >/dev/null 2>&1; then
  echo "tests/run-all.sh: the .NET SDK 10 is required (dotnet not found on PATH)" >&2
  exit 1
fi

# Build once in Release, then run the test projects without rebuilding.
dotnet build Mimicry.sln -c Release -warnaserror --nologo -v quiet
dotnet test Mimicry.sln -c Release --no-build --nologo -v quiet --logger "console;verbosity=normal" "$@"
