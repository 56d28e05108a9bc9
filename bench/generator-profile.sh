#!/usr/bin/env bash
# Where the load generator's core goes against each broker: one scenario, run once against each
# broker of --brokers in turn by bench/loadgen.sh, pinned (broker on CPU 0, generator on CPU 1),
# with perf watching CPU 1 during the measured run only (from the generator's "connected" line of
# that run, after its warm-up, to its RESULT line). For each broker it gives the RESULT line, the
# generator's CPU by thread (perf record -C 1, by command name) and its system calls and context
# switches per delivered message (perf stat -C 1). When a run is bound by the generator, this is
# what shows whether the client does more work per message against one broker than another.
#
#   bench/generator-profile.sh --brokers="junction artemis" --scenarios=jms-queue-async \
#       [--jms-protocols=amqp] [--transports=tcp] [any other option of bench/loadgen.sh or the generator]
#
# One scenario, one protocol and one transport (the first of each list is taken). Writes
# bench/results/<UTC date>-<time>-generator-profile.txt and prints its path. perf needs root or
# kernel.perf_event_paranoid <= 1. See bench/README.md, section "Profiles".
set -euo pipefail
. "$(dirname "$0")/lib.sh"

brokers="junction artemis"
scenario=
protocol=amqp
transport=tcp
passed=()
for arg in "$@"; do
  case $arg in
    --brokers=*) brokers=${arg#*=} ;;
    --scenarios=*) scenario=${arg#*=}; scenario=${scenario%%,*} ;;
    --jms-protocols=*) protocol=${arg#*=}; protocol=${protocol%% *} ;;
    --transports=*) transport=${arg#*=}; transport=${transport%% *} ;;
    --repetitions=*) echo "generator-profile.sh: one run per broker; --repetitions does not apply" >&2; exit 2 ;;
    *) passed+=("$arg") ;;
  esac
done
if [ -z "$scenario" ]; then
  echo "usage: bench/generator-profile.sh --brokers=\"junction artemis\" --scenarios=SCENARIO [loadgen.sh options]" >&2
  exit 2
fi
if ! command -v perf >/dev/null 2>&1; then
  echo "generator-profile.sh: perf is not installed" >&2
  exit 1
fi

stamp=$(date -u +%Y-%m-%d-%H%M)
mkdir -p bench/results
summary=bench/results/$stamp-generator-profile.txt
work=$(mktemp -d "${TMPDIR:-/tmp}/junction-generator-profile.XXXXXX")
loadgen=
perf_pids=()
stop_perf() {
  local pid
  for pid in "${perf_pids[@]}"; do
    kill -INT "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  perf_pids=()
}
cleanup() {
  stop_perf
  [ -n "$loadgen" ] && kill "$loadgen" 2>/dev/null && wait "$loadgen" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The generator's threads by name; the system calls a client's I/O makes, and the futex calls of
# its hand-offs between threads.
events=context-switches,syscalls:sys_enter_sendto,syscalls:sys_enter_recvfrom
events+=,syscalls:sys_enter_write,syscalls:sys_enter_read,syscalls:sys_enter_writev,syscalls:sys_enter_readv
events+=,syscalls:sys_enter_epoll_pwait2,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_futex

export LOADGEN_PIN=1
{
  echo "Command: bench/generator-profile.sh $*"
  echo "Junction: commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "Scenario: $scenario over $protocol, transport $transport; perf on CPU 1 (the generator's) during the measured run"
} >"$summary"
for broker in $brokers; do
  out=$work/$broker.out
  err=$work/$broker.err
  bench/loadgen.sh --brokers="$broker" --scenarios="$scenario" --jms-protocols="$protocol" \
    --transports="$transport" --repetitions=1 "${passed[@]}" >"$out" 2>"$err" &
  loadgen=$!
  # The measured run's first line: "[loadgen <scenario>] <broker>[ over <protocol>]: ... connected"
  # (the warm-up's lines say "[loadgen <scenario> warm-up]").
  while kill -0 "$loadgen" 2>/dev/null && ! grep -q "^\[loadgen $scenario\] $broker[ :].*connected" "$err"; do
    sleep 0.1
  done
  if kill -0 "$loadgen" 2>/dev/null; then
    perf record -C 1 -F 999 -o "$work/$broker.data" >"$work/$broker.record.log" 2>&1 &
    perf_pids+=($!)
    perf stat -C 1 -x, -e "$events" -o "$work/$broker.stat" >/dev/null 2>&1 &
    perf_pids+=($!)
    while kill -0 "$loadgen" 2>/dev/null && ! grep -q '^RESULT ' "$out"; do
      sleep 0.1
    done
    stop_perf
  fi
  status=0
  wait "$loadgen" || status=$?
  loadgen=
  result=$(grep '^RESULT ' "$out" || true)
  if [ "$status" != 0 ] || [ -z "$result" ] || [ ! -s "$work/$broker.stat" ]; then
    echo "generator-profile.sh: the run against $broker gave no result (exit status $status); its log:" >&2
    tail -n 20 "$err" >&2
    exit 1
  fi
  {
    echo
    echo "== $broker"
    echo
    echo "$result"
    python3 - "$result" "$work/$broker.stat" <<'EOF'
import json, sys
result = json.loads(sys.argv[1].split(" ", 1)[1])
delivered = max(1, result["delivered"])
print(f"\ngenerator CPU per delivered message (its JVM, over the run): "
      f"{result['generatorCpuSec'] * 1e6 / delivered:.1f} us; broker's: {result['brokerCpuUsPerMsg']:.1f} us")
print("\nper delivered message, on CPU 1 (perf stat):")
for line in open(sys.argv[2]):
    fields = line.strip().split(",")
    if len(fields) > 3 and fields[0] and fields[0][0].isdigit():
        value, event = float(fields[0]), fields[2]
        if value > 0:
            print(f"  {event.replace('syscalls:sys_enter_', ''):34} {value:12.0f}   {value / delivered:8.2f}")
EOF
    echo
    echo "CPU 1 by thread (perf record, share of the samples; swapper is the core's idle time):"
    perf report -i "$work/$broker.data" --stdio --sort comm 2>/dev/null | grep -v '^#' | grep -v '^$' | head -n 12
  } >>"$summary"
done
echo "$summary"
