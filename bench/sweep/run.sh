#!/bin/sh
# Builds geosim and measures what a sweep of P points costs against P single runs of the
# flagship (bench/sweep/cost.py); prints a Markdown table with the ratios.
# Usage: bench/sweep/run.sh [BUILD_DIR] [cost.py options, e.g. --points 4,16 --replicates 500]
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-bench}
[ $# -gt 0 ] && shift
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target geosim -j2 >/dev/null
exec python3 "$root/bench/sweep/cost.py" "$build/geosim" "$@"
