#!/usr/bin/env bash
# Makes the benchmark zones with the shared generator (deterministic by seed):
# bench/out/z10k.zone, z100k.zone, z1m.zone (self-contained: SPF targets in-zone).
set -euo pipefail
cd "$(dirname "$0")"
GEN=${GEN_ZONE:-../../shared/tools/gen_zone.py}
mkdir -p out
for n in 10000 100000 1000000; do
  case $n in 10000) name=z10k;; 100000) name=z100k;; 1000000) name=z1m;; esac
  [ -s "out/$name.zone" ] || python3 "$GEN" "$n" --seed 1 --self-contained -o "out/$name.zone" 2>/dev/null
done
ls -l out/*.zone
