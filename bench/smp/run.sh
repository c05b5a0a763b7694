#!/bin/sh
# Builds and runs the SMP benchmark on KTAB's reference inputs; prints the speed table.
# Usage: bench/smp/run.sh [BUILD_DIR] [THREADS]
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-smp}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target bench_smp -j2 >/dev/null
"$build/bench/smp/bench_smp" "$root/tests/data/ktab" "${2:-1}"
