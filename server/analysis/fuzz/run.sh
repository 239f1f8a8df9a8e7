#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (default 30 s each; `run.sh 600` for the
# ten-minute runs). Installs cargo-fuzz under target/tools when missing, uses the
# nightly toolchain when there is one and the installed one otherwise (cargo-fuzz needs
# unstable flags: RUSTC_BOOTSTRAP allows them). Fails on the first crash, leaving the
# input in artifacts/<target>/; prints executions and coverage per target.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-30}
root=$(cd ../../.. && pwd)
tools="$root/target/tools"
if ! command -v cargo-fuzz >/dev/null 2>&1 && [ ! -x "$tools/bin/cargo-fuzz" ]; then
  cargo install -q cargo-fuzz --version 0.13.2 --locked --root "$tools"
fi
export PATH="$tools/bin:$PATH"
# The LSP target aborts its server tasks after each input; what they held is reported
# as leaked at exit otherwise.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
if rustup run nightly rustc --version >/dev/null 2>&1; then
  toolchain=(+nightly)
else
  toolchain=()
  export RUSTC_BOOTSTRAP=1
fi
./seed.sh >/dev/null
targets=(zone_file mail_records spf_eval host_files lsp_messages)
# Short runs (CI) use an unoptimised build: it compiles in a fraction of the time of
# the optimised one (the LSP target takes the longest), and a smoke run needs no speed.
profile=()
if [ "$seconds" -le 60 ]; then profile=(--dev); fi
cargo "${toolchain[@]}" fuzz build "${profile[@]}"
for t in "${targets[@]}"; do
  log=$(mktemp)
  # Leak checks are off: the LSP target aborts its server tasks at the end of each input.
  if ! cargo "${toolchain[@]}" fuzz run "${profile[@]}" "$t" -- -max_total_time="$seconds" -detect_leaks=0 -print_final_stats=1 >"$log" 2>&1; then
    tail -60 "$log"
    echo "fuzz target $t failed" >&2
    exit 1
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  echo "fuzz $t: ${seconds}s, $execs executions, coverage $cov"
  rm -f "$log"
done
