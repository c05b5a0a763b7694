#!/usr/bin/env bash
# Runs the Kazakhstan flagship twice, as the baseline and as a variant with parameters
# set, then compares the two result folders with `geosim compare` and prints the rows that
# differ significantly. The exit code is that of `geosim compare --fail-on-difference`:
# 3 if the variant changed some outcome at the 5% level, 0 if it did not, so the script
# can guard a CI job ("my edit did not change the results").
#
# Usage: scripts/examples/compare-variants.sh NAME=VALUE...
#   e.g.  scripts/examples/compare-variants.sh ukraine_commitment=0.9
# Environment:
#   GEOSIM      the geosim binary (default: build/geosim under the repository)
#   REPLICATES  replicates per run (default 5000)
#   SEED        seed of both runs (default 2022); the same seed gives both runs common
#               random numbers, so a variant that changes nothing compares equal
#   OUT         folder for baseline/, variant/ and compare.csv (default: compare-variants)
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 NAME=VALUE... (parameters of the variant)" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/../.." && pwd)
geosim=${GEOSIM:-$root/build/geosim}
scenario=$root/scenarios/kazakhstan-2022/intervention-request.yaml
out=${OUT:-compare-variants}
common=(--replicates "${REPLICATES:-5000}" --seed "${SEED:-2022}" --quiet)

sets=()
for s in "$@"; do sets+=(--set "$s"); done

"$geosim" run "$scenario" "${common[@]}" --out "$out/baseline"
"$geosim" run "$scenario" "${common[@]}" "${sets[@]}" --out "$out/variant"

status=0
"$geosim" compare "$out/baseline" "$out/variant" --out "$out/compare.csv" \
  --fail-on-difference || status=$?
if [[ $status -ne 0 && $status -ne 3 ]]; then exit "$status"; fi

# compare.csv: outcome,statistic,a,b,difference,ci_low,ci_high,p_value,significant
awk -F, '
  NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  $col["significant"] == 1 {
    if (!shown++) printf "%-30s %-28s %10s %10s %11s %9s\n", "outcome", "statistic",
                         "baseline", "variant", "difference", "p"
    printf "%-30s %-28s %10.4g %10.4g %+11.4g %9.2g\n", $col["outcome"], $col["statistic"],
           $col["a"], $col["b"], $col["difference"], $col["p_value"]
  }
  END { printf "%d of %d compared rows differ significantly (5%% level)\n", shown, NR - 1 }
' "$out/compare.csv"
if [[ $status -eq 3 ]]; then
  echo "the variant ($*) changed the results"
else
  echo "no significant difference between the baseline and the variant ($*)"
fi
exit "$status"
