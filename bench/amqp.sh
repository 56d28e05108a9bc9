#!/usr/bin/env bash
# The AMQP 1.0 benchmark (issue 5): Junction's AMQP listener and ActiveMQ Artemis's AMQP acceptor,
# persistence on both, driven by Qpid JMS in the same run. Builds the benchmark and its Artemis peer
# as run.sh does, then runs io.junction.bench.AmqpBench and prints the result table (markdown) on
# stdout; progress and Maven's output go to stderr. Extra arguments go to AmqpBench, e.g.
# --seconds=2 --repetitions=1 for a quick try, --scenarios=fan-out for one. See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q -o -Dmaven.test.skip=true -Pbench -pl bench -am package >&2
mvn -B -q -o -f bench/artemis-peer/pom.xml package >&2

echo "Command: bench/amqp.sh $*"
echo "Date: $(date -u '+%a, %d %b %Y %H:%M:%S GMT')"
echo "Junction: commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
# Junction runs inside the benchmark's JVM and Artemis in a child JVM that stops when its standard
# input closes; the trap makes sure of it even if this script is interrupted.
java -Xmx1g -cp 'bench/target/junction-bench.jar:bench/target/lib/*' io.junction.bench.AmqpBench \
  --artemis-classpath='bench/artemis-peer/target/artemis-peer.jar:bench/artemis-peer/target/lib/*' "$@" &
bench=$!
trap 'kill "$bench" 2>/dev/null || true; wait "$bench" 2>/dev/null || true' EXIT INT TERM
wait "$bench"
