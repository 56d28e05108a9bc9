#!/usr/bin/env bash
# Where Junction's CPU goes in one or more load-generator scenarios: runs bench/loadgen.sh against
# Junction alone with a JFR recording (settings=profile, about 1 % overhead), pinned like
# bench/compare.sh, and summarizes the recording's CPU samples (bench/jfr-top.py): by thread, the
# hottest methods on top of the stack, and the methods most often on it.
#
#   bench/profile.sh --scenarios=mqtt-qos1 [any other option of bench/loadgen.sh or the generator]
#
# Writes bench/results/<UTC date>-<time>-profile.txt (the RESULT lines, then the summary) and the
# recording beside it (.jfr, for JDK Mission Control or `jfr print`), and prints the text's path.
# The recording also holds the broker's start and the runs' connects; the scenarios dominate it.
# See bench/README.md, section "Profiles".
set -euo pipefail
. "$(dirname "$0")/lib.sh"

stamp=$(date -u +%Y-%m-%d-%H%M)
mkdir -p bench/results
recording=$PWD/bench/results/$stamp-profile.jfr
summary=bench/results/$stamp-profile.txt
export LOADGEN_PIN=${LOADGEN_PIN:-1}
export JUNCTION_JAVA_OPTS="${JUNCTION_JAVA_OPTS:--Xms128m -Xmx512m} \
-XX:StartFlightRecording=filename=$recording,settings=profile,dumponexit=true"

{
  echo "Command: bench/profile.sh $*"
  echo "Junction: commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), JVM options $JUNCTION_JAVA_OPTS"
  echo
  # loadgen.sh stops Junction with SIGTERM on exit, which writes the recording.
  bench/loadgen.sh --brokers=junction "$@"
  echo
  if [ ! -s "$recording" ]; then
    echo "profile.sh: Junction wrote no recording to $recording" >&2
    exit 1
  fi
  jfr print --stack-depth 64 --events jdk.ExecutionSample "$recording" | bench/jfr-top.py
} >"$summary"
echo "$summary"
