#!/usr/bin/env bash
# A distributor at mesh size against a bare java-control-plane server in the same run: heap, initial sync, route
# change to every simulated Envoy (p50/p99/max), and which types an endpoint-only change sends.
# usage: bench/fanout.sh [services=1000] [proxies=2000] [scopes=500] [distinct=50] [rounds=5]
set -euo pipefail
cd "$(dirname "$0")/.."
# One reactor run, so the classpath names this checkout's modules, never older copies in ~/.m2.
mvn -B -q -o -pl ops -am test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp \
  -Dmdep.includeScope=test >/dev/null
java -Xmx4g -XX:MaxDirectMemorySize=8g -XX:+UseParallelGC -cp "ops/target/test-classes:ops/target/classes:$(cat ops/target/bench.cp)" \
  meshlog.ops.bench.FanOutBenchmark "$@" 2> >(grep -vE "^(SLF4J|[0-9:.]+ (INFO|WARN))" >&2)
