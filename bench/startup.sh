#!/usr/bin/env bash
# Start-up time of `meshlog up`: from launching the process to GET /healthz answering 200 (every component up and
# the current commit published), on a fresh data dir and again on the same (existing) one.
# Baseline in the same run: the JVM running `meshlog --help` (start-up cost any command pays).
# usage: bench/startup.sh [runs]   (needs a build: mvn -B -q package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin/meshlog init "$work/repo" >/dev/null
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

up_once() { # data dir -> prints ms to healthy
  local t0 pid code
  t0=$(date +%s%N)
  bin/meshlog up --repo "$work/repo" --data-dir "$1" --xds-port 25110 --admin-port 25114 >"$work/up.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    code=$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:25114/healthz || true)
    [ "$code" = 200 ] && break
    sleep 0.05
  done
  ms "$t0"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

help=(); fresh=(); again=()
for i in $(seq 1 "$runs"); do
  t0=$(date +%s%N); bin/meshlog --help >/dev/null; help+=("$(ms "$t0")")
  fresh+=("$(up_once "$work/data-$i")")
  again+=("$(up_once "$work/data-$i")")
done
echo "baseline: meshlog --help       runs=$runs median=$(printf '%s\n' "${help[@]}" | median) ms  all: ${help[*]}"
echo "meshlog up, fresh data dir     runs=$runs median=$(printf '%s\n' "${fresh[@]}" | median) ms  all: ${fresh[*]}"
echo "meshlog up, existing data dir  runs=$runs median=$(printf '%s\n' "${again[@]}" | median) ms  all: ${again[*]}"
