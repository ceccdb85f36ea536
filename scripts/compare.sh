#!/usr/bin/env bash
# Side by side: NSwag (NSwag.ConsoleCore 14.7.1), Kiota (Microsoft.OpenApi.Kiota 1.38.0) and Conduit on the same
# documents. For each document and tool: generation wall time and peak RSS, generated code size, then a Release
# build of a net8.0 class library holding the output: build wall time, peak RSS, compile errors and warnings.
# Each run leaves its logs in .cache/compare/<document>/<tool>/; the table of everything measured so far is printed
# and written to .cache/compare/results.md (docs/comparison.md quotes and explains it).
#
#   bash scripts/compare.sh                          # the default documents
#   bash scripts/compare.sh photoshop stripe         # corpus ids (tests/Conduit.Corpus.Tests/corpus.json) or 'photoshop'
#   bash scripts/compare.sh --report                 # only the table, from the logs already there
#
# Times are given twice: wall clock, and CPU (user + system, from time -v), which a machine shared with other
# builds inflates far less.
#
# Conduit is a source generator: it has no command line. Its "generation" here is the corpus harness's --emit
# (one process that runs the generator in-process over the document and writes the sources), and its build
# is what a user runs: a project referencing the generator as an analyzer, with the document as AdditionalFiles,
# so its build time includes generation. NSwag's and Kiota's builds compile the files their tools wrote.
# Every timed build: dotnet build --no-restore --no-dependencies -c Release -p:UseSharedCompilation=false -m:1
# under /usr/bin/time -v, whose "Maximum resident set size" is the largest single process (csc, for all three).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$ROOT/.cache/compare"
DOCS=("$@")
REPORT_ONLY=false
if [[ ${1:-} == --report ]]; then
  REPORT_ONLY=true
  DOCS=()
elif [[ ${#DOCS[@]} -eq 0 ]]; then
  DOCS=(photoshop oas-train-travel-3.1-yaml netlify blockfrost stripe github)
fi
TOOLS=(conduit nswag kiota)

# seconds from /usr/bin/time's "Elapsed (wall clock) time (h:mm:ss or m:ss)"
wall_seconds() { awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; printf "%.1f", s}' "$1"; }
cpu_seconds() { awk -F': ' '/User time/{u=$2} /System time/{s=$2} END{printf "%.1f", u+s}' "$1"; }
rss_mib() { awk -F': ' '/Maximum resident set size/{printf "%.0f", $2/1024}' "$1"; }

report() {
  local doc tool dir gen files bytes lines errors warnings status
  echo "| Document | Tool | Generation wall s | Generation CPU s | Generation peak MiB | Files | Code KB | Lines | Build wall s | Build CPU s | Build peak MiB | Compile errors | Warnings | Load (1 min) |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for dir in "$WORK"/*/*/; do
    dir="${dir%/}"
    [[ -f "$dir/build.time" ]] || continue
    tool="${dir##*/}"
    doc="$(basename "$(dirname "$dir")")"
    gen="$WORK/$doc/$tool-generated"
    files=$(find "$gen" -name '*.cs' 2>/dev/null | wc -l)
    bytes=$(find "$gen" -name '*.cs' -print0 2>/dev/null | xargs -0 cat 2>/dev/null | wc -c)
    lines=$(find "$gen" -name '*.cs' -print0 2>/dev/null | xargs -0 cat 2>/dev/null | wc -l)
    # MSBuild prints each diagnostic twice (as it happens and in the summary): count distinct lines.
    errors=$( (grep -E ': error [A-Z]+[0-9]+:' "$dir/build.log" || true) | sort -u | wc -l)
    warnings=$( (grep -E ': warning [A-Z]+[0-9]+:' "$dir/build.log" || true) | sort -u | wc -l)
    status=$(awk -F': ' '/Exit status/{print $2}' "$dir/gen.time")
    if [[ $status != 0 || $files == 0 ]]; then
      errors="generation failed (exit $status)"
    fi
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$doc" "$tool" \
      "$(wall_seconds "$dir/gen.time")" "$(cpu_seconds "$dir/gen.time")" "$(rss_mib "$dir/gen.time")" "$files" "$((bytes / 1024))" "$lines" \
      "$(wall_seconds "$dir/build.time")" "$(cpu_seconds "$dir/build.time")" "$(rss_mib "$dir/build.time")" "$errors" "$warnings" "$(cat "$dir/load.txt" 2>/dev/null || echo -)"
  done
}

mkdir -p "$WORK"
cd "$WORK"
if $REPORT_ONLY; then
  report | tee "$WORK/results.md"
  exit 0
fi
command -v /usr/bin/time >/dev/null || apt-get install -y time >/dev/null

# Local tools, pinned, in a manifest inside the git-ignored cache.
[[ -f dotnet-tools.json ]] || dotnet new tool-manifest >/dev/null
dotnet tool list | grep -q 'nswag.consolecore *14.7.1' || dotnet tool install NSwag.ConsoleCore --version 14.7.1 >/dev/null
dotnet tool list | grep -q 'microsoft.openapi.kiota *1.38.0' || dotnet tool install Microsoft.OpenApi.Kiota --version 1.38.0 >/dev/null

# The projects here must not pick up the repository's central package management or build settings.
echo '<Project></Project>' > Directory.Build.props
echo '<Project><PropertyGroup><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup></Project>' > Directory.Packages.props

echo "building the corpus harness, src/Conduit and src/Conduit.Generators (Release)" >&2
dotnet build "$ROOT/tests/Conduit.Corpus.Tests" -c Release -v:q -nologo >/dev/null
dotnet build "$ROOT/src/Conduit.Generators" -c Release -v:q -nologo >/dev/null
dotnet build "$ROOT/src/Conduit" -c Release -v:q -nologo >/dev/null
HARNESS="$ROOT/tests/Conduit.Corpus.Tests/bin/Release/net10.0/Conduit.Corpus.Tests.dll"

export KIOTA_TUTORIAL_ENABLED=false KIOTA_OFFLINE_ENABLED=true DOTNET_CLI_TELEMETRY_OPTOUT=1

project() { # $1 dir, $2 tool, $3 document file name (conduit)
  local refs
  case $2 in
    nswag) refs='<PackageReference Include="Newtonsoft.Json" Version="13.0.4" />' ;;
    kiota) refs='<PackageReference Include="Microsoft.Kiota.Abstractions" Version="2.1.6" />
    <PackageReference Include="Microsoft.Kiota.Http.HttpClientLibrary" Version="2.1.6" />
    <PackageReference Include="Microsoft.Kiota.Serialization.Json" Version="2.1.6" />
    <PackageReference Include="Microsoft.Kiota.Serialization.Text" Version="2.1.6" />
    <PackageReference Include="Microsoft.Kiota.Serialization.Form" Version="2.1.6" />
    <PackageReference Include="Microsoft.Kiota.Serialization.Multipart" Version="2.1.6" />' ;;
    conduit) refs="<ProjectReference Include=\"$ROOT/src/Conduit/Conduit.csproj\" />
    <ProjectReference Include=\"$ROOT/src/Conduit.Generators/Conduit.Generators.csproj\" OutputItemType=\"Analyzer\" ReferenceOutputAssembly=\"false\" />
    <AdditionalFiles Include=\"$3\" />" ;;
  esac
  cat > "$1/Compare.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
  </PropertyGroup>
  <ItemGroup>
    $refs
  </ItemGroup>
</Project>
XML
}

for doc in "${DOCS[@]}"; do
  if [[ $doc == photoshop ]]; then
    src="$ROOT/openapi/photoshop.json"
  else
    src="$(dotnet "$HARNESS" --fetch "$doc" | tail -1)"
  fi
  ext="${src##*.}"
  for tool in "${TOOLS[@]}"; do
    dir="$WORK/$doc/$tool"
    rm -rf "$dir" && mkdir -p "$dir"
    cp "$src" "$dir/document.$ext"
    gen="$WORK/$doc/$tool-generated"   # what the tool wrote (for Conduit: outside the project, which regenerates it)
    rm -rf "$gen"
    echo "== $doc / $tool: generate" >&2
    case $tool in
      conduit) cmd=(dotnet "$HARNESS" --emit "$dir/document.$ext" "$gen") ;;
      nswag) mkdir -p "$gen"; cmd=(dotnet tool run nswag openapi2csclient "/input:$dir/document.$ext" "/output:$gen/Client.cs" /namespace:Compare.NSwag /classname:ApiClient) ;;
      kiota) cmd=(dotnet tool run kiota generate -l CSharp -d "$dir/document.$ext" -o "$gen" -n Compare.Kiota -c ApiClient --ll Error) ;;
    esac
    set +e
    /usr/bin/time -v -o "$dir/gen.time" timeout 1800 "${cmd[@]}" >"$dir/gen.log" 2>&1
    set -e
    if [[ $tool != conduit ]]; then cp -r "$gen" "$dir/Generated"; fi
    if [[ $tool == conduit ]]; then
      printf 'using Conduit;\n\nnamespace Compare;\n\n[OpenApiClient("document.%s")]\npublic partial class ApiClient;\n' "$ext" > "$dir/Client.cs"
    fi
    project "$dir" "$tool" "document.$ext"
    echo "== $doc / $tool: build" >&2
    (cd "$dir" && dotnet restore Compare.csproj -v:q >/dev/null)
    cut -d' ' -f1 /proc/loadavg > "$dir/load.txt"
    set +e
    (cd "$dir" && /usr/bin/time -v -o build.time timeout 3600 dotnet build Compare.csproj --no-restore --no-dependencies -c Release \
      -p:UseSharedCompilation=false -m:1 -nodeReuse:false -tl:off -v:m -nologo >build.log 2>&1)
    set -e
    rm -rf "$dir/obj" "$dir/bin"
  done
done

report | tee "$WORK/results.md"
