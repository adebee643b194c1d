#!/usr/bin/env bash
# Debian packages the app and its tests need on a fresh machine (Debian 12).
#   dbus, gnome-keyring, libsecret-1-0 : the OS keychain (Secret Service) that keytar talks to
#   libsecret-1-dev                    : only needed if keytar is ever built from source
#   chromium                           : renderer end-to-end tests (driven by playwright-core)
#   poppler-utils                      : reading exported PDFs back in tests (pdftotext, pdfimages, pdftoppm)
#   qpdf                               : tests: PDF streams decompressed (--qdf) and overlaid (--overlay)
#   openssl, jq, ca-certificates       : test fixtures and CI gates
#   time                               : GNU time, the peak memory of a command measured from outside (test and benchmark)
#   zbar-tools                         : zbarimg, reading the QR code of an exported PDF back from its rendered page (tests)
#   fonts-noto-core, fonts-noto-cjk    : the report's fonts for Indic scripts, Thai, Chinese, Japanese and Korean (assets/fonts/README.md)
#   postgresql                         : team mode's tests: a temporary cluster the test run starts and stops (test/team/support/cluster.ts)
set -euo pipefail
packages=(dbus gnome-keyring libsecret-1-0 libsecret-1-dev chromium poppler-utils qpdf openssl jq ca-certificates time zbar-tools fonts-noto-core fonts-noto-cjk postgresql)
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" apt-get update
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${packages[@]}"
