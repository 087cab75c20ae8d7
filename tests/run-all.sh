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

# Everything this run writes outside the checkout (the database, the tests' temporary files, the packed tool)
# lives under one folder, deleted when the script exits however it exits: repeated runs leave nothing behind.
# Traversable by others because, as root, PostgreSQL runs as the `postgres` user inside it.
run_dir=$(mktemp -d /tmp/mimicry-ci.XXXXXX)
chmod 711 "$run_dir"
pg_dir=""
cleanup() {
  echo "tests/run-all.sh: this run wrote $(du -sh "$run_dir" 2>/dev/null | cut -f1) outside the checkout; deleting it"
  if [[ -n "$pg_dir" ]]; then bash tests/pg.sh stop "$pg_dir" || true; fi
  rm -rf "$run_dir"
}
trap cleanup EXIT
mkdir -m 755 "$run_dir/tmp"
export TMPDIR="$run_dir/tmp"
echo "tests/run-all.sh: working in $run_dir ($(df -h --output=avail "$run_dir" | tail -1 | tr -d ' ') free on its disk)"

# A throwaway PostgreSQL on 127.0.0.1 and a free non-default port, for the store, cluster and failover tests.
# Installs Debian's postgresql first if it is missing; stopped and deleted when this script exits.
if [[ -z "${MIMICRY_TEST_POSTGRES:-}" ]]; then
  pg_dir="$run_dir/pg"
  for attempt in 1 2 3 4 5; do
    pg_port=$((20000 + RANDOM % 20000))
    if bash tests/pg.sh start "$pg_dir" "$pg_port"; then break; fi
    if [[ $attempt -eq 5 ]]; then echo "tests/run-all.sh: could not start PostgreSQL (see $pg_dir/data/server.log)" >&2; exit 1; fi
  done
  export MIMICRY_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=mimicry;Password=mimicry;Database=postgres"
  export MIMICRY_TEST_PG_DIR="$pg_dir"
  echo "tests/run-all.sh: PostgreSQL for the tests on 127.0.0.1:$pg_port"
fi

# Debian's Chromium for the web UI's browser tests (Playwright drives it by its path; it never downloads a browser),
# and Debian's Prometheus, which the observability tests start to scrape a running server.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
if [[ ${#missing[@]} -gt 0 ]]; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "tests/run-all.sh: the browser and observability tests need Debian's ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "tests/run-all.sh: installing ${missing[*]} from Debian packages (a minute or two)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
export MIMICRY_CHROMIUM="${MIMICRY_CHROMIUM:-$(command -v chromium)}"
export MIMICRY_PROMETHEUS="${MIMICRY_PROMETHEUS:-$(command -v prometheus)}"

# Build once in Release, then run the test projects without rebuilding.
dotnet build Mimicry.sln -c Release -warnaserror --nologo -v quiet
# The run's output is long; a failed test's name and message are repeated at its very end, where a reader of only
# the last lines (a CI summary) still finds them. A test that failed is run once more on its own: one that passes
# then is named as flaky at the end (and the run goes on); one that fails twice fails the run.
test_log="$run_dir/test.log"
if ! dotnet test Mimicry.sln -c Release --no-build --nologo -v quiet --logger "console;verbosity=normal" "$@" 2>&1 | tee "$test_log"; then
  failures=$(grep -E -A14 '^\s+Failed [A-Za-z]' "$test_log" | cut -c1-400 | head -60 || true)
  mapfile -t failed < <(grep -oE '^\s+Failed Mimicry\.[A-Za-z0-9_.]+' "$test_log" | awk '{print $2}' | sort -u)
  if [[ ${#failed[@]} -eq 0 || ${#failed[@]} -gt 3 ]]; then
    echo "tests/run-all.sh: the tests failed; the failures again (names, messages, first lines of their stack traces):"
    echo "$failures"
    exit 1
  fi
  retry_ok=true
  for name in "${failed[@]}"; do
    project="tests/$(echo "$name" | cut -d. -f1-2)"
    echo "tests/run-all.sh: running $name once more on its own"
    if ! dotnet test "$project" -c Release --no-build --nologo -v quiet --logger "console;verbosity=normal" --filter "FullyQualifiedName~$name" 2>&1 | tee -a "$test_log"; then
      retry_ok=false
    fi
  done
  if [[ $retry_ok != true ]]; then
    echo "tests/run-all.sh: the tests failed, and failed again when run on their own; the first failures (names, messages, first lines of their stack traces):"
    echo "$failures"
    exit 1
  fi
  echo "tests/run-all.sh: FLAKY — these failed in the full run and passed on their own; the first failures:"
  echo "$failures"
fi

# The CLI as a .NET tool: packed, installed from that package alone (no other source), and run once.
tool_dir="$run_dir/tool"
dotnet pack src/Mimicry.Cli/Mimicry.Cli.csproj -c Release --no-build --nologo -v quiet -o "$tool_dir/pkg"
dotnet pack src/Mimicry.Client/Mimicry.Client.csproj -c Release --no-build --nologo -v quiet -o "$tool_dir/pkg"
printf '<?xml version="1.0" encoding="utf-8"?>\n<configuration><packageSources><clear /><add key="packed" value="%s" /></packageSources></configuration>\n' "$tool_dir/pkg" > "$tool_dir/nuget.config"
dotnet tool install Mimicry.Cli --tool-path "$tool_dir/bin" --configfile "$tool_dir/nuget.config" >/dev/null
sed 's/^name: quickstart/name: tool-check/; s/^branches: 200/branches: 2/' docs/examples/quickstart.yaml > "$tool_dir/tool-check.yaml"
"$tool_dir/bin/mimicry" run "$tool_dir/tool-check.yaml" --data "$tool_dir/data" --json | grep -q '"status":"completed"'
echo "tests/run-all.sh: the packed tool installs and runs: $(cd "$tool_dir/pkg" && echo *.nupkg) ($(du -sh "$tool_dir/pkg" | cut -f1) packed)"
