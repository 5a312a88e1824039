#!/usr/bin/env bash
# Time from `git commit` to every proxyless gRPC client following it, with a Kafka round trip as the baseline.
# usage: bench/convergence.sh [poll, e.g. 1s or 0.1s] [commits]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -pl ops test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >/dev/null
java -Xmx1g -XX:+UseSerialGC -cp "ops/target/test-classes:ops/target/classes:$(cat ops/target/bench.cp)" \
  meshlog.ops.bench.ConvergenceBenchmark "${1:-1s}" "${2:-10}" 2> >(grep -vE "^(SLF4J|[0-9:.]+ (INFO|WARN))" >&2)
