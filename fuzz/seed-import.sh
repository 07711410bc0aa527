#!/bin/sh
# Seeds the `import` fuzz target's corpus from the interop fixtures: each file with a
# first byte that picks its format (0 MS Project XML, 1 CSV, 2 Excel workbook).
# The MSPDI fixtures are MPXJ's test data (LGPL-2.1): see
# tests/fixtures/interop/mspdi/LICENCE.md. Usage: fuzz/seed-import.sh [CORPUS]
set -eu
out=${1:-fuzz/corpus/import}
mkdir -p "$out"
fixtures=tests/fixtures/interop
for f in "$fixtures"/mspdi/*.xml "$fixtures"/features/*.xml; do
    { printf '\000'; cat "$f"; } > "$out/mspdi-$(basename "$f" .xml)"
done
for f in "$fixtures"/tables/*.csv; do
    { printf '\001'; cat "$f"; } > "$out/csv-$(basename "$f" .csv)"
done
for f in "$fixtures"/hostile/formulas.xlsx "$fixtures"/hostile/merged-cells.xlsx \
         "$fixtures"/hostile/empty.xlsx examples/programme-office-runbook.xlsx; do
    { printf '\002'; cat "$f"; } > "$out/xlsx-$(basename "$f" .xlsx)"
done
