#!/usr/bin/env bash
# Sweeps one parameter of the Kazakhstan flagship over a grid of values and prints, for
# each value, the probability that CSTO troops land (the `intervention` outcome) with its
# 95% interval.
#
# Usage: scripts/examples/sweep-flagship.sh [PARAMETER] [SPEC]
#   PARAMETER  a parameter of the flagship (default kremlin_resolve; `geosim describe` lists them)
#   SPEC       the values, as for --vary: a list 0.3,0.5,0.7 or a range LO:HI:STEP
#              (default 0.3:1:0.1)
# Environment:
#   GEOSIM      the geosim binary (default: build/geosim under the repository)
#   REPLICATES  replicates per point (default 2000)
#   SEED        seed shared by every point (default: the scenario's own)
#   OUT         result folder (default: sweep-PARAMETER in the current directory)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
geosim=${GEOSIM:-$root/build/geosim}
scenario=$root/scenarios/kazakhstan-2022/intervention-request.yaml
param=${1:-kremlin_resolve}
spec=${2:-0.3:1:0.1}
out=${OUT:-sweep-$param}

args=(sweep "$scenario" --vary "$param=$spec" --replicates "${REPLICATES:-2000}" --out "$out"
      --quiet)
if [[ -n ${SEED:-} ]]; then args+=(--seed "$SEED"); fi

# Exit code 1 means some point failed; its rows are still in sweep.csv (status=error),
# so carry on and show them. Anything else (2: bad usage) is fatal.
status=0
"$geosim" "${args[@]}" || status=$?
if [[ $status -ne 0 && $status -ne 1 ]]; then exit "$status"; fi

# sweep.csv has one row per point x outcome x statistic. Columns are looked up by name in
# the header. Only the last column (`error`, a message) can hold a quoted comma, so
# splitting on commas is safe for every column read here.
awk -F, -v param="$param" '
  NR == 1 {
    for (i = 1; i <= NF; i++) col[$i] = i
    printf "%-12s %-12s %s\n", param, "P(intervention)", "95% interval"
    next
  }
  $col["status"] != "ok" {
    if (!(($col["point"]) in failed)) {
      failed[$col["point"]] = 1
      printf "%-12.6g %s\n", $col[param], "failed (see the error column of sweep.csv)"
    }
    next
  }
  $col["outcome"] == "intervention" && $col["statistic"] == "probability" {
    printf "%-12.6g %-15.4f [%.4f, %.4f]\n", $col[param], $col["value"], $col["ci_low"],
           $col["ci_high"]
  }
' "$out/sweep.csv"
exit "$status"
