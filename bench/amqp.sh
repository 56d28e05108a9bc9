#!/usr/bin/env bash
# The AMQP 1.0 benchmark (issue 5): Junction's AMQP listener and ActiveMQ Artemis's AMQP acceptor,
# persistence on both, driven by Qpid JMS in the same run. Builds the benchmark and its Artemis peer
# as run.sh does, then runs io.junction.bench.AmqpBench and prints the result table (markdown) on
# stdout; progress and Maven's output go to stderr. Extra arguments go to AmqpBench, e.g.
# --seconds=2 --repetitions=1 for a quick try, --scenarios=fan-out for one. See bench/README.md.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

build_bench_and_peer
print_header amqp.sh "$@"
run_side_by_side io.junction.bench.AmqpBench "$@"
