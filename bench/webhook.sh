#!/usr/bin/env bash
# Time from `git push` to a git daemon until the first proxy follows: 1 s poll (baseline), poll + webhook, webhook alone.
# usage: bench/webhook.sh [pushes]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -pl ops -am test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >/dev/null
java -Xmx1g -XX:+UseSerialGC -cp "ops/target/test-classes:ops/target/classes:$(cat ops/target/bench.cp)" \
  meshlog.ops.bench.WebhookBenchmark "${1:-20}" 2> >(grep -vE "^(SLF4J|[0-9:.]+ (\[[^]]*\] )?(INFO|WARN))" >&2)
