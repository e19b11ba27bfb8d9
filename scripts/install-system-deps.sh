#!/usr/bin/env bash
# Install the Debian packages the readers need: Tesseract with its Vietnamese model (OCR of
# scans), antiword (Word 97-2003 .doc), poppler-utils (PDF tools), DejaVu fonts (test PDFs), and
# chromium for the web app's browser tests (tests/test_web_browser.py drives it with Playwright,
# whose own browser download is never used).
# The second recogniser of handwritten header digits (RapidOCR) needs none: it comes from PyPI
# with OpenCV headless, which, unlike opencv-python, does not load libGL.
# Idempotent and quiet: apt is not touched when everything is already installed.
set -euo pipefail

PACKAGES=(tesseract-ocr tesseract-ocr-vie antiword poppler-utils fonts-dejavu-core chromium)

missing=()
for package in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
