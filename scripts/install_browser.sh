#!/usr/bin/env bash
# Install Debian's Chromium (and fonts that render text) for the browser tests.
# Idempotent: does nothing when the browser and fonts are already present.
# Playwright cannot download its own browsers here, so the tests use /usr/bin/chromium
# (override with NOL_CHROMIUM).
set -euo pipefail

CHROMIUM="${NOL_CHROMIUM:-/usr/bin/chromium}"
# fonts-dejavu-core: fallback for text Streamlit's bundled web fonts do not cover.
# fonts-liberation: metric-compatible Arial/Times/Courier for generic font families.
# fontconfig: lets Chromium find the fonts at all.
# poppler-utils: pdftotext/pdfinfo, to read the meeting pack's PDF back in the tests.
PACKAGES=(chromium fonts-dejavu-core fonts-liberation fontconfig poppler-utils)

die() {
    echo "install_browser.sh: ERROR: $*" >&2
    exit 1
}

missing=()
for pkg in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done

if [[ -x "$CHROMIUM" && ${#missing[@]} -eq 0 ]]; then
    echo "install_browser.sh: already installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
    exit 0
fi

if [[ ${#missing[@]} -eq 0 ]]; then
    die "packages are installed but $CHROMIUM is not executable (check NOL_CHROMIUM)."
fi

command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install Chromium manually and set NOL_CHROMIUM."

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || die "must run as root (or have sudo) to install: ${missing[*]}"
    SUDO=(sudo)
fi

echo "install_browser.sh: installing: ${missing[*]}"
start=$(date +%s)
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update || die "apt-get update failed (no network to the Debian mirror?)."
"${SUDO[@]}" apt-get install -y --no-install-recommends "${missing[@]}" \
    || die "apt-get install failed for: ${missing[*]}"

[[ -x "$CHROMIUM" ]] || die "installation finished but $CHROMIUM is still missing."
"$CHROMIUM" --version >/dev/null 2>&1 || die "$CHROMIUM is installed but does not run."
echo "install_browser.sh: done in $(($(date +%s) - start)) s: $("$CHROMIUM" --version)"
