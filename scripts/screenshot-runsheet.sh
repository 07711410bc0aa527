#!/bin/sh
# Renders page 1 of the printed runsheet of the shipped acute runbook (with its status
# file) as a PNG: the HTML runsheet printed to an A4 PDF by headless Chromium
# (scripts/print-paper.sh), then page 1 rasterised by pdftoppm (Debian: apt-get install
# chromium poppler-utils).
# Usage: scripts/screenshot-runsheet.sh [OUT.png]   (default: docs/images/runsheet-page1.png)
set -eu
out=${1:-docs/images/runsheet-page1.png}
command -v pdftoppm >/dev/null 2>&1 || { echo "screenshot-runsheet: pdftoppm (poppler-utils) is not installed" >&2; exit 3; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --quiet
./target/debug/cutover runsheet runbooks/northgate-acute.yaml \
    --status runbooks/northgate-acute.status.yaml --format html --out "$work/runsheet.html"
sh scripts/print-paper.sh "$work/runsheet.html" "$work/runsheet.pdf"
pdftoppm -png -r 110 -f 1 -l 1 -singlefile "$work/runsheet.pdf" "$work/page1"
mkdir -p "$(dirname "$out")"
cp "$work/page1.png" "$out"
echo "wrote $out"
