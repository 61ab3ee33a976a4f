#!/usr/bin/env bash
# Seed corpora for the fuzz targets, made from the fixtures and the example county.
# Usage: make_seeds.sh OUTDIR   (one folder per target: OUTDIR/values, OUTDIR/scheme ...)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out=$1
rm -rf "$out"
mkdir -p "$out"/{values,scheme,romanize,rules,names,boundaries}
n=0
seed() { n=$((n + 1)); printf '%s' "$2" >"$out/$1/seed-$n"; }

# values: coordinates, DMS angles, azimuths, elevations and codes of the example register
iconv -f GB18030 -t UTF-8 "$root/examples/anji/markers.csv" | sed -n '2,40p' |
  awk -F, '{ print $6; print $7; print $8; print $9; print $10; print $13 }' |
  sort -u | while IFS= read -r v; do seed values "$v"; done
for v in '３３０５２３' '1,234.5' '119°30′15.5″' "119d30'15\"" '30:45:10N' '-0.0' '1e308' '330523101001'; do
  seed values "$v"
done

# scheme: the built-in patterns with numbers of each form
for p in '^(\d{4})(\d{3})([QABCDE])$' '^(\d{6})(\d{3})([QABCDE])$' '^(\d{3}-\d{3})(\d{3})([QABCDE])$'; do
  for num in 3305001Q 330523001A 002-001001C 3305001X; do seed scheme "$p"$'\n'"$num"; done
done

# romanize and names: names of the planted table (one record per seed for names)
tail -n +2 "$root/tests/data/names/planted.csv" | tr -d '"' |
  while IFS=, read -r code name category admin roman _; do
    seed romanize "$name"
    seed names "$name"$'\n'"$code"$'\n'"$category"$'\n'"$admin"$'\n'"$roman"
  done

# rules: the registry itself and override files of every shape
cp "$root/data-schemas/rules.json" "$out/rules/registry.json"
seed rules '{"rules":{"NAME-TOO-LONG":{"severity":"warning","parameters":{"max_chars":30}}}}'
seed rules '{"rules":{"MARKER-NUMBER-SYNTAX":{"parameters":{"scheme":"mine","schemes":{"mine":"^(\\d{4})(\\d{3})([QA])$"}}}}}'
seed rules '{"rules":{"NAME-RESTRICTED-WORD":{"parameters":{"province_words":{"44":["岭南"]}}},"CRS-MISSING":{"enabled":false}}}'

# boundaries: two and three squares sharing edges, one with a hole, one unclosed
sq() { printf "\\x$(printf %02x "$1")\\x$(printf %02x "$2")\\x$(printf %02x "$3")\\x$(printf %02x "$2")\\x$(printf %02x "$3")\\x$(printf %02x "$4")\\x$(printf %02x "$1")\\x$(printf %02x "$4")\\x$(printf %02x "$1")\\x$(printf %02x "$2")"; }
{ sq 10 10 20 20; printf '\xfe\xfe'; sq 20 10 30 20; } >"$out/boundaries/two"
{ sq 10 10 20 20; printf '\xfe\xfe'; sq 20 10 30 20; printf '\xfe\xfe'; sq 10 20 30 30; } >"$out/boundaries/three"
{ sq 10 10 40 40; printf '\xff'; sq 20 20 30 30; printf '\xfe\xfe'; sq 21 21 29 29; } >"$out/boundaries/hole"
{ sq 10 10 20 20; printf '\xfe\xfe'; sq 20 10 30 21; } >"$out/boundaries/gap"
echo "seeds: $(find "$out" -type f | wc -l) in $out"
