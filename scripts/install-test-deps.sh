#!/usr/bin/env bash
# Debian packages the test suite uses for real (no mocks stand in for them):
#   postgresql            the scan-history store is tested against a real PostgreSQL server
#   chromium              the HTML report is rendered in headless Chromium
#   poppler-utils         PDF report pages → PNG (pdftoppm) and text (pdftotext)
#   libpango + fonts-noto-cjk   weasyprint's PDF rendering and a Japanese font
#   zip, unzip            an evidence bundle unpacked and re-zipped by hand still verifies
# Packages already installed are left alone; on a machine without apt-get this says what to install.
set -euo pipefail
PACKAGES=(postgresql chromium poppler-utils libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk zip unzip)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install these packages with your system's package manager: ${missing[*]}" >&2
  exit 1
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
