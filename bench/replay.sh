#!/usr/bin/env bash
# Replay of a long history (default 100,000 commits over 100 services, 300 objects) against the raw read_committed
# consume of the same records (baseline, same run), and `meshlog state --at` a commit near the start, the middle and
# the end, with --no-checkpoints and with checkpoints: in the benchmark's JVM (the command path without JVM start) and
# as `bin/meshlog state` (with it).
# usage: bench/replay.sh [commits] [services] [runs]   (bin/meshlog needs a build: mvn -B -q package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -pl ops -am test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >/dev/null
java -Xmx3g -XX:+UseParallelGC -cp "ops/target/test-classes:ops/target/classes:$(cat ops/target/bench.cp)" \
  meshlog.ops.bench.ReplayBenchmark "${1:-100000}" "${2:-100}" "${3:-3}" "$PWD/bin/meshlog" \
  2> >(grep -vE "^(SLF4J|[0-9:.]+ (\[[^]]*\] )?(INFO|WARN))" >&2)
