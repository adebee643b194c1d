#!/usr/bin/env bash
# The Electronegativity gate (npm run electronegativity; part of npm test after the build).
# Scans the sources and the built bundles (main/, preload/, renderer/, out/) and FAILS on any
# finding whose SARIF level is not "note" unless security/electronegativity-allowlist.json has a
# reviewed entry for it. Electronegativity itself exits 0 even with findings, hence the jq step.
set -euo pipefail
cd "$(dirname "$0")/.."

allow=security/electronegativity-allowlist.json
sarif=${ELECTRONEGATIVITY_SARIF:-electronegativity.sarif}
command -v jq >/dev/null || { echo "electronegativity gate: jq is missing (npm run setup:system)" >&2; exit 3; }
[ -f out/main/index.js ] && [ -f out/preload/index.cjs ] || { echo "electronegativity gate: build first (npm run build)" >&2; exit 3; }

# Every allowlist entry must name a rule and a file pattern and give a reason.
jq -e '(.entries | type == "array") and all(.entries[]; (.ruleId | type == "string" and length > 0)
  and (.file | type == "string" and length > 0) and (.reason | type == "string" and length >= 20))' "$allow" >/dev/null || {
  echo "electronegativity gate: $allow: every entry needs ruleId, file and a reason (20+ characters)" >&2
  exit 1
}

electron_version=$(node -p "require('./node_modules/electron/package.json').version")
log=$(mktemp)
trap 'rm -f "$log"' EXIT
rm -f "$sarif"
# -x takes check class names; AvailableSecurityFixesGlobalCheck needs the network.
if ! npx --no-install electronegativity -i . -r -v false -e "$electron_version" -x AvailableSecurityFixesGlobalCheck -o "$sarif" >"$log" 2>&1 || [ ! -s "$sarif" ]; then
  cat "$log" >&2
  echo "electronegativity gate: the scan did not run" >&2
  exit 1
fi

findings=$(jq -c '[.runs[].results[] | {ruleId, level, message: .message.text,
  file: (.locations[0].physicalLocation.artifactLocation.uri // ""), line: (.locations[0].physicalLocation.region.startLine // 0)}]' "$sarif")
unexpected=$(jq -c --slurpfile allow "$allow" 'map(select(.level != "note") | . as $f
  | select([$allow[0].entries[] | . as $e | select($e.ruleId == $f.ruleId and ($f.file | test($e.file)))] | length == 0))' <<<"$findings")
stale=$(jq -c --slurpfile allow "$allow" '. as $all | [$allow[0].entries[]
  | . as $e | select([$all[] | select(.level != "note" and .ruleId == $e.ruleId and (.file | test($e.file)))] | length == 0)]' <<<"$findings")

notes=$(jq '[.[] | select(.level == "note")] | length' <<<"$findings")
allowed=$(jq '[.[] | select(.level != "note")] | length' <<<"$findings")
count=$(jq length <<<"$unexpected")
if [ "$(jq length <<<"$stale")" -gt 0 ]; then
  echo "electronegativity gate: allowlist entries that no longer match anything (remove them):" >&2
  jq -r '.[] | "  \(.ruleId) \(.file)"' <<<"$stale" >&2
fi
if [ "$count" -gt 0 ]; then
  echo "electronegativity gate: FAILED, $count finding(s) not in $allow:" >&2
  jq -r '.[] | "  \(.level) \(.ruleId) \(.file):\(.line) \(.message)"' <<<"$unexpected" >&2
  exit 1
fi
echo "electronegativity gate: passed (Electron $electron_version; $allowed allowlisted finding(s), $notes note(s) for manual review; SARIF in $sarif)"
