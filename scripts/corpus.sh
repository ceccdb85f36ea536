#!/usr/bin/env bash
# Full corpus run: the generator over every real published OpenAPI document in
# tests/Conduit.Corpus.Tests/corpus.json (fetched with `npm pack` into .cache/corpus/, checked against sha256),
# each result compiled and its operations compared with the document's; writes docs/corpus.md.
#
#   bash scripts/corpus.sh              # every document (10-15 minutes on 2 cores)
#   bash scripts/corpus.sh github jira  # only these (the report then lists only them)
#
# Exits non-zero when any document is not OK. `dotnet test tests/Conduit.Corpus.Tests` runs the 'ci' subset.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
dotnet build tests/Conduit.Corpus.Tests -c Release -v:q -nologo
dotnet "tests/Conduit.Corpus.Tests/bin/Release/net10.0/Conduit.Corpus.Tests.dll" --write "$ROOT/docs/corpus.md" "$@"
