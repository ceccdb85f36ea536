#!/usr/bin/env bash
# Measures the time and peak memory to BUILD a consumer of the generated GitHub client.
#
#   bash benchmarks/compile-github.sh
#
# Creates benchmarks/.cache/compile/ (a net8.0 class library referencing src/Conduit and the generator
# as an analyzer, with GitHub's REST description from @octokit/openapi@23.0.2 as AdditionalFiles),
# restores and builds it once (which builds src/Conduit and src/Conduit.Generators), touches the
# consumer's source and times a second build of the consumer alone:
#   dotnet build --no-restore --no-dependencies -c Release -p:UseSharedCompilation=false -m:1 -nodeReuse:false
# under /usr/bin/time -v. UseSharedCompilation=false makes MSBuild start the compiler as a child
# process (Roslyn/bincore/csc on the .NET 10 SDK; `dotnet exec csc.dll` on older ones); -m:1 keeps the build in the one MSBuild process, which waits for
# csc, so time's "Maximum resident set size" is the larger of that process and csc (ru_maxrss of
# waited-for children is a maximum over single processes, not a sum). A sampler reads csc's own
# peak (VmHWM) and the summed RSS of the whole process tree from /proc while the build runs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/benchmarks/.cache"
WORK="$CACHE/compile"
DOC="$CACHE/api.github.com.json"
PACKAGE="@octokit/openapi@23.0.2"

if [[ ! -x /usr/bin/time ]]; then
  echo "installing GNU time" >&2
  apt-get install -y time >/dev/null
fi

mkdir -p "$WORK"
if [[ ! -f "$DOC" ]]; then
  echo "fetching $PACKAGE" >&2
  (cd "$CACHE" && npm pack "$PACKAGE" --silent >/dev/null \
    && tar -xzf octokit-openapi-23.0.2.tgz package/generated/api.github.com.json \
    && mv package/generated/api.github.com.json "$DOC" && rm -rf package)
fi

cat > "$WORK/GitHubConsumer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
    <OutputType>Library</OutputType>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$ROOT/src/Conduit/Conduit.csproj" />
    <ProjectReference Include="$ROOT/src/Conduit.Generators/Conduit.Generators.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
    <AdditionalFiles Include="../api.github.com.json" />
  </ItemGroup>
</Project>
XML

cat > "$WORK/GitHubClient.cs" <<'CS'
using Conduit;

namespace GitHubConsumer;

[OpenApiClient("../api.github.com.json")]
public partial class GitHubClient;
CS

cd "$WORK"
echo "restore + warm-up build (builds src/Conduit and src/Conduit.Generators)" >&2
dotnet restore GitHubConsumer.csproj -v:q >/dev/null
dotnet build GitHubConsumer.csproj --no-restore -c Release -p:UseSharedCompilation=false -nodeReuse:false -tl:off -v:q >"$WORK/warmup.log" 2>&1 \
  || { tail -30 "$WORK/warmup.log"; exit 1; }

touch GitHubClient.cs

# Sampler: peak RSS of csc (VmHWM) and peak summed RSS of every process below the build.
SAMPLES="$WORK/samples.txt"
: >"$SAMPLES"
descendants() {
  local c
  for c in $(pgrep -P "$1" 2>/dev/null); do
    echo "$c"
    descendants "$c"
  done
}
sample() {
  local root=$1 total csc p rss hwm
  while kill -0 "$root" 2>/dev/null; do
    total=0 csc=0
    for p in $root $(descendants "$root"); do
      rss=$(awk '/^VmRSS:/{print $2}' "/proc/$p/status" 2>/dev/null || true)
      total=$((total + ${rss:-0}))
      # The .NET 10 SDK starts Roslyn/bincore/csc (an apphost), older ones `dotnet exec .../csc.dll`.
      if grep -qa 'Roslyn/bincore/csc' "/proc/$p/cmdline" 2>/dev/null; then
        hwm=$(awk '/^VmHWM:/{print $2}' "/proc/$p/status" 2>/dev/null || true)
        if [[ ${hwm:-0} -gt $csc ]]; then csc=${hwm:-0}; fi
      fi
    done
    echo "$total $csc" >>"$SAMPLES"
    sleep 0.2
  done
}

echo "load before the timed build: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores" >&2
TIMELOG="$WORK/time.log"
BUILDLOG="$WORK/build.log"
set +e
/usr/bin/time -v -o "$TIMELOG" \
  dotnet build GitHubConsumer.csproj --no-restore --no-dependencies -c Release \
  -p:UseSharedCompilation=false -m:1 -nodeReuse:false -tl:off -clp:PerformanceSummary >"$BUILDLOG" 2>&1 &
TIME_PID=$!
sample "$TIME_PID" &
SAMPLER_PID=$!
wait "$TIME_PID"
STATUS=$?
wait "$SAMPLER_PID" 2>/dev/null
set -e

wall=$(awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$TIMELOG")
maxrss_kb=$(awk -F': ' '/Maximum resident set size/{print $2}' "$TIMELOG")
tree_kb=$(awk 'BEGIN{m=0}{if($1>m)m=$1}END{print m}' "$SAMPLES")
csc_kb=$(awk 'BEGIN{m=0}{if($2>m)m=$2}END{print m}' "$SAMPLES")
errors=$(grep -Eo '[0-9]+ Error\(s\)' "$BUILDLOG" | tail -1 | grep -Eo '^[0-9]+' || echo "?")
warnings=$(grep -Eo '[0-9]+ Warning\(s\)' "$BUILDLOG" | tail -1 | grep -Eo '^[0-9]+' || echo "?")
csc_ms=$(awk '/Task Performance Summary/{f=1} f && $3 == "Csc" {print $1; exit}' "$BUILDLOG")

echo "--- /usr/bin/time -v (excerpt) ---"
grep -E 'Elapsed|Maximum resident|User time|System time|Exit status' "$TIMELOG"
echo "--- warnings by code ---"
# The console logger prints each warning twice (as it happens and in the summary): count distinct lines.
grep -E 'warning [A-Z]+[0-9]+' "$BUILDLOG" | sort -u | grep -Eo 'warning [A-Z]+[0-9]+' | sort | uniq -c || true
echo "---"
printf 'GitHub client build: exit %s, wall %s, Csc task %s ms, max RSS (time -v, largest single process) %.2f GiB, csc peak %.2f GiB, process-tree peak %.2f GiB, %s errors, %s warnings\n' \
  "$STATUS" "$wall" "${csc_ms:-?}" "$(echo "$maxrss_kb/1048576" | bc -l)" "$(echo "$csc_kb/1048576" | bc -l)" "$(echo "$tree_kb/1048576" | bc -l)" "$errors" "$warnings"
exit "$STATUS"
