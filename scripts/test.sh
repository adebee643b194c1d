#!/usr/bin/env bash
# The one test command (npm test): static checks, the build, the Electronegativity gate, then every
# vitest project (unit, integration, cli, e2e in Chromium, keyring) in one run
# inside a private D-Bus session with a freshly unlocked gnome-keyring, so the keychain tests talk
# to the real Secret Service. Extra arguments go to vitest (e.g. `npm test -- --project unit`).
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in dbus-run-session gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || { echo "missing $tool: run 'npm run setup:system' first" >&2; exit 3; }
done

npm run --silent typecheck
npm run --silent lint
npm run --silent build
# Static Electron security review of the sources and the bundles just built (fails on any
# non-note finding not in security/electronegativity-allowlist.json).
bash scripts/electronegativity.sh

# A fresh XDG_DATA_HOME: an existing login keyring with another password would stay locked.
keyring_home=$(mktemp -d)
trap 'rm -rf "$keyring_home"' EXIT
export XDG_DATA_HOME="$keyring_home"
exec dbus-run-session -- sh -c 'printf test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec npx vitest run "$@"' vitest "$@"
