#!/usr/bin/env bash
# Seeds the fuzz corpora from the test fixtures and examples.
set -euo pipefail
cd "$(dirname "$0")"
root=../../..
mkdir -p corpus/zone_file corpus/mail_records corpus/host_files corpus/spf_eval corpus/lsp_messages
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
# SPF evaluation: client 192.0.2.1, local part `user`, then each SPF value of the fixtures.
i=0
for f in $(grep -l -i '^v=spf1' corpus/mail_records/v* 2>/dev/null | head -300); do
  { printf '\xc0\x00\x02\x01user\x00'; cat "$f"; printf '\nv=spf1 a mx -all'; } > "corpus/spf_eval/s$i"; i=$((i + 1))
done
# LSP sessions: hover, completion, edits (whole and ranged), code actions, formatting.
printf '\x04\x05\x03' > corpus/lsp_messages/l0
printf '\x02$ORIGIN example.com.\nwww IN A 1.2.3\n\xff\x06\x00\x00\x0f\x00' > corpus/lsp_messages/l1
printf '\x03\x01\x02\x00\x02\x05www IN TXT "v=spf1 +all"\n\xff\x08' > corpus/lsp_messages/l2
printf '\x07\xff\x09\xff\x0a\x0f\x3f\xff\x0b' > corpus/lsp_messages/l3
for t in zone_file mail_records host_files spf_eval lsp_messages; do printf '%s: %s  ' "$t" "$(ls corpus/$t | wc -l)"; done; echo
