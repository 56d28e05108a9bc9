#!/usr/bin/env bash
# The OpenWire benchmark (issue 6): Junction's OpenWire listener and ActiveMQ Artemis's OpenWire
# acceptor, persistence on both, driven by the ActiveMQ JMS client in the same run. Builds the
# benchmark and its Artemis peer as amqp.sh does, then runs io.junction.bench.OpenWireBench and
# prints the result tables (markdown) on stdout; progress and Maven's output go to stderr. Extra
# arguments go to OpenWireBench, e.g. --seconds=2 --warmup-seconds=1 --repetitions=1 for a quick
# try, --scenarios=async,latency for some. See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

# Offline first (fast); online only when the local repository lacks something (a fresh machine).
build() { mvn -B -q -o "$@" >&2 || mvn -B -q "$@" >&2; }
build -Dmaven.test.skip=true -Pbench -pl bench -am package
build -f bench/artemis-peer/pom.xml package

echo "Command: bench/openwire.sh $*"
echo "Date: $(date -u '+%a, %d %b %Y %H:%M:%S GMT')"
echo "Junction: commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
# Junction runs inside the benchmark's JVM and Artemis in a child JVM that stops when its standard
# input closes; the trap makes sure of it even if this script is interrupted.
java -Xmx1g -cp 'bench/target/junction-bench.jar:bench/target/lib/*' io.junction.bench.OpenWireBench \
  --artemis-classpath='bench/artemis-peer/target/artemis-peer.jar:bench/artemis-peer/target/lib/*' "$@" &
bench=$!
trap 'kill "$bench" 2>/dev/null || true; wait "$bench" 2>/dev/null || true' EXIT INT TERM
wait "$bench"
