#!/usr/bin/env bash
# Issue 8's comparison in one command: Junction and its peers through the same load-generator
# scenarios (bench/loadgen.sh), the brokers alternating within each scenario, three repetitions,
# each broker pinned to CPU 0 and the generator to CPU 1; then a markdown report of the medians
# with Junction / peer ratios, the bounds of each run and the issue's targets.
#
#   bench/compare.sh [--brokers="junction artemis activemq rabbitmq mosquitto"] [--repetitions=3]
#                    [--scenarios=mqtt-qos1,...] [--skip="broker:scenario ..."]
#                    [any other option of bench/loadgen.sh or the generator]
#
# Writes bench/results/<UTC date>-<time>.md (the report) and .txt beside it (the raw BROKER and
# RESULT lines the report is made from), and prints the report's path. Without --seconds, every
# run sends for at most 20 s (bounded by its message count first). Without --warmup-seconds, every
# run is preceded by a 10 s unmeasured run of the same scenario in the same generator JVM (see the
# generator's --warmup-seconds), so that neither the generator's JIT compiler nor a broker's is
# what the measured run reports. mqtt-idle-connections runs last, in a second pass with the
# brokers started again. LOADGEN_PIN=0 runs unpinned.
# --skip (loadgen.sh's) leaves out what a peer cannot run, by default rabbitmq:jms-queue-transacted
# (RabbitMQ's AMQP 1.0 plugin has no transaction coordinator: every run hung until the request
# timeout) and artemis:mqtt-idle-connections (Artemis could not hold 10,000 connections, and was
# left unusable); --skip= runs everything. Its cells in the report show "-".
# With all five brokers, --seconds=6 and a 3 s warm-up, the whole comparison (243 runs) took 55
# minutes on a 2-core machine; the 10 s warm-up adds about 7 s to each run, half an hour in all.
# Nothing else should run on the machine meanwhile: every core is in use.
# See bench/README.md, section "The comparison".
set -euo pipefail
. "$(dirname "$0")/lib.sh"

brokers="junction artemis activemq rabbitmq mosquitto"
repetitions=3
# loadgen.sh's scenarios, the idle connections apart: see below.
scenarios=mqtt-fan-in,mqtt-qos1,mqtt-qos1-paced,mqtt-fan-out,jms-queue-sync-1,jms-queue-sync-16,jms-queue-async
scenarios+=,jms-queue-transacted,jms-topic-fan-out,stomp-queue,mixed,mqtt-idle-connections
seconds=--seconds=20
# 10 s: after 3 s, the JIT compiler still took 32 to 40 % of the generator's one core in a 6 s
# async AMQP run (17 % after 10 s), which halved what the generator could send.
warmup=--warmup-seconds=10
skip="rabbitmq:jms-queue-transacted artemis:mqtt-idle-connections"
passed=()
for arg in "$@"; do
  case $arg in
    --brokers=*) brokers=${arg#*=} ;;
    --repetitions=*) repetitions=${arg#*=} ;;
    --seconds=*) seconds=$arg ;;
    --warmup-seconds=*) warmup=$arg ;;
    --scenarios=*) scenarios=${arg#*=} ;;
    --skip=*) skip=${arg#*=} ;;
    --smoke) echo "compare.sh: use bench/loadgen.sh --smoke for the smoke run" >&2; exit 2 ;;
    *) passed+=("$arg") ;;
  esac
done
export LOADGEN_PIN=${LOADGEN_PIN:-1}
pinned=false
[ "$LOADGEN_PIN" = 1 ] && pinned=true

stamp=$(date -u +%Y-%m-%d-%H%M)
mkdir -p bench/results
raw=bench/results/$stamp.txt
report=bench/results/$stamp.md

echo "[compare.sh] building Junction and the load generator" >&2
build -Dmaven.test.skip=true -Pbench -pl broker-server,bench/loadgen -am package
classpath='bench/loadgen/target/junction-loadgen.jar:bench/loadgen/target/lib/*'

# The disk's bound for persistent sends, on the file system the brokers' data goes to (loadgen.sh's
# temp directory).
probe=$(mktemp -d "${TMPDIR:-/tmp}/junction-fsync.XXXXXX")
fsync=$(java -cp "$classpath" io.junction.bench.FsyncProbe "$probe" 3)
rm -rf "$probe"
echo "[compare.sh] the disk does $fsync fsyncs/s" >&2

# A run that could not finish is reported by loadgen.sh and leaves its row out; the report is still made.
# The idle scenario runs apart, after the others, on brokers started afresh: its 10,000 connections
# can leave a peer unusable for what follows (Artemis, which cannot hold them, then let JMS
# connections time out), which would measure the aftermath instead of the next scenario.
busy=$(tr ',' '\n' <<<"$scenarios" | grep -vx mqtt-idle-connections | paste -sd, || true)
idle=$(tr ',' '\n' <<<"$scenarios" | grep -x mqtt-idle-connections || true)
status=0
: >"$raw"
for part in "$busy" "$idle"; do
  [ -z "$part" ] && continue
  bench/loadgen.sh --brokers="$brokers" --repetitions="$repetitions" --scenarios="$part" --skip="$skip" \
    "$seconds" "$warmup" "${passed[@]}" \
    | tee -a "$raw" || status=$?
done
command="bench/compare.sh $*"
[ -n "$skip" ] && command+=" (not run, --skip: $skip)"
java -cp "$classpath" io.junction.bench.loadgen.report.ComparisonReport --results="$raw" \
  --command="$command" --fsync-per-sec="$fsync" --pinned="$pinned" >"$report"
echo "$report"
exit "$status"
