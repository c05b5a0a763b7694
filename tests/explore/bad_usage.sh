#!/bin/sh
# geosim explore refuses bad usage with exit 2 and a message naming the option or the
# file:line:column, before serving anything (docs/explore.md).
#   bad_usage.sh GEOSIM SCENARIO
set -u
geosim=$1
scenario=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
touch "$tmp/a-file"
failed=0
passed=0
expect() {  # expect MESSAGE ARGS...: exit 2, MESSAGE on standard error, nothing on standard output
  message=$1
  shift
  "$geosim" explore "$@" --no-open >"$tmp/out" 2>"$tmp/err" </dev/null
  code=$?
  if [ "$code" -eq 2 ] && grep -qF -- "$message" "$tmp/err" && [ ! -s "$tmp/out" ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAILED: geosim explore $* exited $code; expected 2 and '$message'; it said:"
    cat "$tmp/err" "$tmp/out"
  fi
}
expect "does not exist" "$tmp/none.yaml"
expect "expected one scenario file, found 0"
expect "expected one scenario file, found 2" "$scenario" "$scenario"
expect "--port: 70000 is out of range" "$scenario" --port 70000
expect "--port: -1 is out of range" "$scenario" --port -1
expect "--replicates: 0 is out of range" "$scenario" -n 0
expect "--threads: 2000 is out of range" "$scenario" -j 2000
expect "intervention-request.yaml:77:3: override grievance0=2:" "$scenario" --set grievance0=2
expect "unknown parameter 'grievence0'" "$scenario" --set grievence0=0.5
expect "--set" "$scenario" --set grievance0
expect "--save-dir names a file" "$scenario" --save-dir "$tmp/a-file"
expect "unknown option '--bogus'" "$scenario" --bogus
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
