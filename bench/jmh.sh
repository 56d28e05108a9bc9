#!/usr/bin/env bash
# Builds the JMH microbenchmarks (bench/jmh) and runs them; see bench/README.md.
#
#   bench/jmh.sh [--smoke] [JMH arguments...]
#
# Without --smoke: every benchmark with the warm-up and measurement its class sets (about 5
# minutes). --smoke: every benchmark once, tiny and in this JVM (-f 0 -wi 0 -i 1 -r 100ms), which
# exits non-zero when any benchmark throws; for CI, so that the benchmarks cannot rot. Other
# arguments go to JMH after ours, e.g. a regex of benchmarks ('Codec'), -p payloadSize=128, or
# -rf json -rff results.json for a machine-readable copy of the table.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

smoke=()
if [[ ${1:-} == --smoke ]]; then
  shift
  # -foe: JMH carries on past a failing benchmark and exits 0 unless told to fail on error.
  smoke=(-f 0 -wi 0 -i 1 -r 100ms -foe true)
fi

build -Dmaven.test.skip=true -Pbench -pl bench/jmh -am package
java -cp 'bench/jmh/target/junction-bench-jmh.jar:bench/jmh/target/lib/*' org.openjdk.jmh.Main "${smoke[@]}" "$@"
