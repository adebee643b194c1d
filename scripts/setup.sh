#!/usr/bin/env bash
# Everything a fresh Debian 12 machine needs before `npm start` or `npm test`:
# the system packages, the locked npm install, and the build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-packages.sh
npm ci --strict-allow-scripts
npm run build
