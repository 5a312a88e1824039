#!/usr/bin/env bash
# Validating a generated repository of 5,001 objects (1,667 services × ServiceEntry, DestinationRule,
# VirtualService), from files to diagnostics: in one JVM (cold and warm, peak heap), then as users run it
# (`bin/meshlog validate DIR`, a fresh JVM each time, wall time and peak RSS by /usr/bin/time).
# Baselines in the same run: reading the same files into generic Jackson YAML trees (in one JVM), and
# `bin/meshlog --help` (a fresh JVM doing nothing).
# usage: bench/validate.sh [services] [runs]   (needs a build: mvn -B -q package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
services=${1:-1667}
runs=${2:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mvn -B -q -o -pl ops test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >/dev/null
java -Xmx1g -XX:+UseSerialGC -cp "ops/target/test-classes:ops/target/classes:$(cat ops/target/bench.cp)" \
  meshlog.ops.bench.ValidateBenchmark "$work/repo" "$services" "$runs"
for i in $(seq 1 "$runs"); do
  /usr/bin/time -f "%e %M" -o "$work/time" bin/meshlog --help >/dev/null
  read -r secs kb <"$work/time"
  echo "baseline, bin/meshlog --help (JVM start): wall ${secs}s, peak RSS $((kb / 1024)) MiB"
  /usr/bin/time -f "%e %M" -o "$work/time" bin/meshlog validate "$work/repo" >"$work/out" || true
  read -r secs kb <"$work/time"
  echo "bin/meshlog validate: $(tail -1 "$work/out"); wall ${secs}s, peak RSS $((kb / 1024)) MiB"
done
