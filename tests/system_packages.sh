#!/usr/bin/env bash
# System packages the test suite needs: Debian's chromium for the Playwright browser tests, the Pango
# libraries WeasyPrint renders PDFs with, and poppler's pdftoppm to look at a PDF as an image. Installed when missing (as root, with apt-get); otherwise says what to do.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
ldconfig -p 2>/dev/null | grep -q libpango-1.0 || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)  # the factsheet PDF rendered to PNG in a test
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing test system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing system packages for the browser and PDF tests: ${missing[*]}" >&2
  echo "Install them (e.g. sudo apt-get install ${missing[*]}) and run again." >&2
  exit 1
fi
