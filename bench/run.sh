#!/usr/bin/env bash
# Builds the benchmark and its Artemis peer, runs every case once and prints the result tables
# (markdown) on stdout; progress and broker warnings go to stderr. Extra arguments are passed to
# io.junction.bench.Bench, e.g. --recovery-messages=20000 for a quick try, or --only=slow-disk for
# case 5 alone (group commit on a simulated 720 fsync/s disk, ~15 s). See bench/README.md.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# Maven's output goes to stderr, so that stdout carries the results only.
mvn -B -q -Pbench -pl bench -am package -DskipTests >&2
mvn -B -q -f bench/artemis-peer/pom.xml package >&2

echo "Command: bench/run.sh $*"
java -Xmx1g -cp "$BENCH_CLASSPATH" io.junction.bench.Bench --artemis-classpath="$ARTEMIS_PEER_CLASSPATH" "$@"
