#!/usr/bin/env bash
# Seeds the fuzz corpora from the test fixtures and examples.
set -euo pipefail
cd "$(dirname "$0")"
root=../../..
mkdir -p corpus/zone_file corpus/mail_records corpus/host_files
n=0
while IFS= read -r f; do
  cp "$f" "corpus/zone_file/z$n"
  n=$((n + 1))
done < <(find "$root/tests/fixtures" "$root/examples" -type f \( -name '*.zone' -o -name '*.inc' -o -name 'db.*' \))
# Record values: every quoted string of the fixture zones, one per file.
grep -rhoE '"[^"]{4,}"' "$root/tests/fixtures/rules" | sort -u | head -2000 | awk '{ f = sprintf("corpus/mail_records/v%05d", NR); gsub(/^"|"$/, ""); printf "%s", $0 > f; close(f) }'
i=0
for f in $(find "$root/tests/fixtures" "$root/examples" -type f \( -name '*.yaml' -o -name '*.js' -o -name '*.tf' \)); do
  case "$f" in *.yaml) p='\x00';; *.js) p='\x01';; *) p='\x02';; esac
  { printf "$p"; cat "$f"; } > "corpus/host_files/h$i"; i=$((i + 1))
done
echo "zone_file: $(ls corpus/zone_file | wc -l), mail_records: $(ls corpus/mail_records | wc -l), host_files: $(ls corpus/host_files | wc -l)"
