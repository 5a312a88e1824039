#!/usr/bin/env bash
# Restart time of `meshlog up`: from launching the process to GET /readyz answering 200 (every component caught up,
# the current commit published), after a clean stop (SIGTERM) and after kill -9, on the same data dir; and how long
# SIGTERM takes to stop it.
# usage: bench/restart.sh [runs]   (needs a build: mvn -B -q package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
work=$(mktemp -d)
trap 'kill -9 $(jobs -p) 2>/dev/null || true; cp "$work/up.log" /tmp/meshlog-restart-up.log 2>/dev/null; rm -rf "$work"' EXIT
bin/meshlog init "$work/repo" >/dev/null
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

start() { # $1: what came before -> sets pid and took (ms to ready); phases go to $work/phases
  local t0 code kafka up
  t0=$(date +%s%N)
  echo "### launch $1" >>"$work/up.log"
  bin/meshlog up --repo "$work/repo" --data-dir "$work/data" --xds-port 25210 --admin-port 25214 \
    >>"$work/up.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 1200); do
    code=$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:25214/readyz || true)
    [ "$code" = 200 ] && break
    sleep 0.05
  done
  [ "$code" = 200 ] || { echo "not ready after 60 s; see $work/up.log" >&2; tail -20 "$work/up.log" >&2; exit 1; }
  took=$(ms "$t0")
  # Phases from the log lines of this start: JVM and broker, the other components, then catching up.
  kafka=$(sed -n '/^### launch '"$1"'$/,$p' "$work/up.log" | grep -m1 'started kafka' | cut -d' ' -f1)
  up=$(sed -n '/^### launch '"$1"'$/,$p' "$work/up.log" | grep -m1 'meshlog up in' | sed 's/.*meshlog up in \([0-9]*\) ms/\1/')
  echo "$1 ready=$took ms up-in=$up ms kafka-started-at=$kafka launched-at=$(date -d @$((t0 / 1000000000)) +%T)" \
    >>"$work/phases"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

start first # first start: formats the broker's log
clean=(); killed=(); stop=()
for i in $(seq 1 "$runs"); do
  t0=$(date +%s%N); kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; stop+=("$(ms "$t0")")
  start "clean-$i"; clean+=("$took")
  kill -9 "$pid"; wait "$pid" 2>/dev/null || true
  start "kill9-$i"; killed+=("$took")
done
kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
cat "$work/phases"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "SIGTERM to exit                runs=$runs median=$(printf '%s\n' "${stop[@]}" | median) ms  all: ${stop[*]}"
echo "ready after a clean stop       runs=$runs median=$(printf '%s\n' "${clean[@]}" | median) ms  all: ${clean[*]}"
echo "ready after kill -9            runs=$runs median=$(printf '%s\n' "${killed[@]}" | median) ms  all: ${killed[*]}"
