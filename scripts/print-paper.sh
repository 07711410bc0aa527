#!/bin/sh
# Prints a cutover HTML paper (or runsheet) to PDF with headless Chromium, A4 as the
# page's own @page rule says (the board paper: A4 landscape).
#
# Usage: scripts/print-paper.sh IN.html OUT.pdf [--before-appendix]
#
# --before-appendix prints only what comes before the paper's appendix (the
# `<!-- appendix -->` marker): the part that must fit on two pages.
# Needs chromium, chromium-browser or google-chrome (Debian: apt-get install chromium);
# exits 3 when none is installed, so that tests can skip.
set -eu
in=$1
out=$2
browser=
for b in chromium chromium-browser google-chrome; do
    if command -v "$b" >/dev/null 2>&1; then browser=$b; break; fi
done
if [ -z "$browser" ]; then
    echo "print-paper: no chromium, chromium-browser or google-chrome on PATH" >&2
    exit 3
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
page="$work/page.html"
if [ "${3:-}" = "--before-appendix" ]; then
    sed '/<!-- appendix -->/,$d' "$in" > "$page"
    printf '</body>\n</html>\n' >> "$page"
else
    cp "$in" "$page"
fi
"$browser" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" --no-pdf-header-footer \
    --print-to-pdf="$out" "file://$(realpath "$page")" >/dev/null 2>&1
test -s "$out"
