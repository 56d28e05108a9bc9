#!/usr/bin/env bash
# Where Junction's CPU goes in one or more load-generator scenarios: runs bench/loadgen.sh against
# Junction alone, pinned like bench/compare.sh, with two profilers on the broker:
#   - JFR (settings=profile, about 1 % overhead): Java stacks, summarized by bench/jfr-top.py (by
#     thread, the hottest methods on top of the stack, and the methods most often on it). JFR
#     samples only threads running Java code, so it does not see time in the kernel or in native code.
#   - perf (when installed), sampling the broker's process at 999 Hz without call stacks: the
#     share of its CPU in the kernel (system calls: socket reads and writes, fsync, futex wake-ups),
#     in JIT-compiled Java (named through the JVM's perf map, -XX:+DumpPerfMapAtExit), in the JVM
#     (GC, compiler) and in native libraries, and the hottest symbols. perf needs root or
#     kernel.perf_event_paranoid <= 1.
#
#   bench/profile.sh --scenarios=mqtt-qos1 [any other option of bench/loadgen.sh or the generator]
#
# Writes bench/results/<UTC date>-<time>-profile.txt (the RESULT lines, then both summaries) and
# the JFR recording beside it (.jfr, for JDK Mission Control or `jfr print`), and prints the text's
# path. The recordings also hold the broker's start and the runs' connects; the scenarios dominate.
# See bench/README.md, section "Profiles".
set -euo pipefail
. "$(dirname "$0")/lib.sh"

stamp=$(date -u +%Y-%m-%d-%H%M)
mkdir -p bench/results
recording=$PWD/bench/results/$stamp-profile.jfr
summary=bench/results/$stamp-profile.txt
work=$(mktemp -d "${TMPDIR:-/tmp}/junction-profile.XXXXXX")
perf_pid=
loadgen=
cleanup() {
  [ -n "$loadgen" ] && kill "$loadgen" 2>/dev/null && wait "$loadgen" 2>/dev/null
  [ -n "$perf_pid" ] && kill -INT "$perf_pid" 2>/dev/null && wait "$perf_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export LOADGEN_PIN=${LOADGEN_PIN:-1}
export JUNCTION_JAVA_OPTS="${JUNCTION_JAVA_OPTS:--Xms32m -Xmx512m -XX:G1PeriodicGCInterval=10000} \
-XX:StartFlightRecording=filename=$recording,settings=profile,dumponexit=true \
-XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit"

# loadgen.sh stops Junction with SIGTERM on exit, which writes the JFR recording and the perf map.
bench/loadgen.sh --brokers=junction "$@" >"$work/results.txt" &
loadgen=$!
# The BROKER line comes once Junction has settled, before the first run.
pid=
while kill -0 "$loadgen" 2>/dev/null; do
  pid=$(sed -n 's/^BROKER name=junction .*pid=\([0-9]*\).*/\1/p' "$work/results.txt")
  [ -n "$pid" ] && break
  sleep 0.2
done
if [ -n "$pid" ] && command -v perf >/dev/null 2>&1; then
  perf record -F 999 -p "$pid" -o "$work/perf.data" >"$work/perf.log" 2>&1 &
  perf_pid=$!
fi
status=0
wait "$loadgen" || status=$?
loadgen=
if [ -n "$perf_pid" ]; then
  wait "$perf_pid" || true # perf ends when the broker's process does
  perf_pid=
fi
if [ "$status" != 0 ]; then
  echo "profile.sh: bench/loadgen.sh failed (exit status $status)" >&2
  exit 1
fi
if [ ! -s "$recording" ]; then
  echo "profile.sh: Junction wrote no recording to $recording" >&2
  exit 1
fi

{
  echo "Command: bench/profile.sh $*"
  echo "Junction: commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), JVM options $JUNCTION_JAVA_OPTS"
  echo
  cat "$work/results.txt"
  echo
  echo "== JFR: Java code"
  echo
  jfr print --stack-depth 64 --events jdk.ExecutionSample "$recording" | bench/jfr-top.py
  if [ -s "$work/perf.data" ]; then
    echo "== perf: all of the broker process's CPU, by object (kernel, JIT-compiled Java as perf-<pid>.map, the JVM, libraries)"
    echo
    perf report -i "$work/perf.data" --stdio --sort dso 2>/dev/null | grep -v '^#' | grep -v '^$' | head -n 12
    echo
    echo "== perf: the hottest symbols"
    echo
    perf report -i "$work/perf.data" --stdio --sort dso,sym 2>/dev/null | grep -v '^#' | grep -v '^$' | head -n 40
  else
    echo "== perf: not run (not installed, or it could not attach; see its message: $(head -c 300 "$work/perf.log" 2>/dev/null))"
  fi
} >"$summary"
echo "$summary"
