#!/usr/bin/env bash
# The OpenWire benchmark (issue 6): Junction's OpenWire listener and ActiveMQ Artemis's OpenWire
# acceptor, persistence on both, driven by the ActiveMQ JMS client in the same run. Builds the
# benchmark and its Artemis peer as amqp.sh does, then runs io.junction.bench.OpenWireBench and
# prints the result tables (markdown) on stdout; progress and Maven's output go to stderr. Extra
# arguments go to OpenWireBench, e.g. --seconds=2 --warmup-seconds=1 --repetitions=1 for a quick
# try, --scenarios=async,latency for some. See bench/README.md.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

build_bench_and_peer
print_header openwire.sh "$@"
run_side_by_side io.junction.bench.OpenWireBench "$@"
