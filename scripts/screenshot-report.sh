#!/bin/sh
# Renders the go/no-go HTML report of each shipped runbook with a status file in headless
# Chromium (Debian: apt-get install chromium), as a PNG screenshot and an A4 PDF.
# Usage: scripts/screenshot-report.sh [OUTDIR]   (default: target/screenshots)
set -eu
out=${1:-target/screenshots}
mkdir -p "$out"
cargo build --quiet
for name in northgate-acute riverside-mh-community; do
    html="$out/$name.html"
    ./target/debug/cutover report "runbooks/$name.yaml" --status "runbooks/$name.status.yaml" \
        --format html --out "$html"
    profile=$(mktemp -d)
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" --window-size=1240,1754 \
        --screenshot="$out/$name.png" "file://$(realpath "$html")" 2>/dev/null
    chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
        --user-data-dir="$profile" --no-pdf-header-footer \
        --print-to-pdf="$out/$name.pdf" "file://$(realpath "$html")" 2>/dev/null
    rm -rf "$profile"
    echo "wrote $out/$name.png and $out/$name.pdf"
done
