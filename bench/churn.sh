#!/usr/bin/env bash
# Endpoint churn across three clusters (fabric8 mock API servers, each its own JVM) to simulated Envoy sidecars:
# API change -> every proxy's EDS (p50/p99/max), EDS responses per change, reconciler CPU, against full recomputes
# (config commits) in the same run.
# usage: bench/churn.sh [proxies=1000] [rate=50] [seconds=60] [services=20] [endpoints=5] [commits=10]
set -euo pipefail
cd "$(dirname "$0")/.."
# One reactor run, so the classpath names this checkout's modules, never older copies in ~/.m2; the discovery
# module's test classpath is what the mock API servers run on.
mvn -B -q -o -pl ops -am test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp \
  -Dmdep.includeScope=test >/dev/null
cd ops
java -Xmx4g ${CHURN_JAVA_OPTS:-} -XX:+UseParallelGC -cp "target/test-classes:target/classes:$(cat target/bench.cp)" \
  meshlog.ops.bench.ChurnBenchmark "$@" 2> >(grep -vE "^(SLF4J|[0-9:.]+ \[[^]]*\] (INFO|WARN))" >&2)
