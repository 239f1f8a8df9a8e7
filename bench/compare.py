#!/usr/bin/env python3
"""Side-by-side zone-check benchmark: zonels vs kzonecheck, named-checkzone, nsd-checkzone.

    bench/compare.py [--rounds N] [--sizes 10k,100k,1m]

Runs every tool on the same zones, alternating tools within each round (the machines are
shared and noisy: ratios measured in one run mean more than lone times), and prints a
Markdown table: median wall time, spread (min-max), records/s, MB/s, peak RSS, and the
ratio to zonels. Peers come from ../shared/tools/install_peers.sh; zonels from
target/release (built if missing).
"""
import argparse, os, re, shutil, statistics, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "out")
RECORDS = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}


def run_timed(argv, cwd=None):
    """Wall seconds and peak RSS (KiB) of one run, via GNU time."""
    with tempfile.NamedTemporaryFile("r") as t:
        p = subprocess.run(["/usr/bin/time", "-o", t.name, "-f", "%e %M"] + argv, cwd=cwd,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wall, rss = t.read().split()[-2:]
    return float(wall), int(rss), p.returncode


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--sizes", default="10k,100k,1m")
    args = ap.parse_args()
    subprocess.run([os.path.join(ROOT, "bench", "zones.sh")], check=True, stdout=subprocess.DEVNULL)
    zonels = os.path.join(ROOT, "target", "release", "zonels")
    if not os.path.exists(zonels):
        subprocess.run(["cargo", "build", "--release", "--bin", "zonels"], cwd=ROOT, check=True)
    rows = []
    for size in args.sizes.split(","):
        src = os.path.join(OUT, f"z{size}.zone")
        # zonels takes the origin from the file name: check a copy named after the zone.
        work = tempfile.mkdtemp()
        zfile = os.path.join(work, "example.com.zone")
        shutil.copyfile(src, zfile)
        mb = os.path.getsize(zfile) / 1e6
        tools = {
            "zonels": [zonels, "check", "--offline", "--format", "json", zfile],
            "kzonecheck": ["kzonecheck", "-o", "example.com", zfile],
            "named-checkzone": ["named-checkzone", "-q", "example.com", zfile],
            "nsd-checkzone": ["nsd-checkzone", "example.com", zfile],
        }
        tools = {k: v for k, v in tools.items() if shutil.which(v[0]) or os.path.exists(v[0])}
        samples = {k: [] for k in tools}
        for _ in range(args.rounds):
            for name, argv in tools.items():
                samples[name].append(run_timed(argv))
        base = statistics.median(s[0] for s in samples["zonels"])
        for name, s in samples.items():
            walls = [x[0] for x in s]
            med = statistics.median(walls)
            rss = max(x[1] for x in s) / 1024
            rows.append((size, name, med, min(walls), max(walls), RECORDS[size] / med if med else 0, mb / med if med else 0, rss, med / base if base else 0))
        shutil.rmtree(work)
    print(f"| zone | tool | wall (median) | spread | records/s | MB/s | peak RSS | × zonels |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for size, name, med, lo, hi, rps, mbs, rss, ratio in rows:
        print(f"| {size} | {name} | {med:.2f} s | {lo:.2f}–{hi:.2f} | {rps:,.0f} | {mbs:.1f} | {rss:.0f} MiB | {ratio:.2f} |")


if __name__ == "__main__":
    main()
