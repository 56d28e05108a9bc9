# shellcheck shell=bash
# Sourced by the benchmark scripts (after set -euo pipefail): makes the repository root the working
# directory and gives them the build, the header lines of the results and the benchmark JVM.

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The benchmark's classes with their run-time dependencies, and the Artemis peer's (the benchmark
# starts the peer's JVM with them).
BENCH_CLASSPATH='bench/target/junction-bench.jar:bench/target/lib/*'
ARTEMIS_PEER_CLASSPATH='bench/artemis-peer/target/artemis-peer.jar:bench/artemis-peer/target/lib/*'

# Maven's output goes to stderr, so that stdout carries the results only. Offline first (fast);
# online only when the local repository lacks something (a fresh machine).
build() { mvn -B -q -o "$@" >&2 || mvn -B -q "$@" >&2; }

# Junction with its protocol modules and the benchmark, then the Artemis peer. Nothing is installed.
build_bench_and_peer() {
  build -Dmaven.test.skip=true -Pbench -pl bench -am package
  build -f bench/artemis-peer/pom.xml package
}

# A free TCP port on 127.0.0.1 (the kernel's choice), for a broker's listener.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_for_port() { # name pid port: until the process listens on the port (60 s at most)
  local i
  for i in $(seq 1 300); do
    if ! kill -0 "$2" 2>/dev/null; then
      echo "$1 exited before it listened on $3; its log is in ${tmp:-its work dir}" >&2
      return 1
    fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$3") 2>/dev/null; then
      return 0
    fi
    sleep 0.2
  done
  echo "$1 does not listen on $3 after 60 s" >&2
  return 1
}

print_header() { # script [its arguments...]
  local script=$1
  shift
  echo "Command: bench/$script $*"
  echo "Date: $(date -u '+%a, %d %b %Y %H:%M:%S GMT')"
  echo "Junction: commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
}

run_side_by_side() { # main class [its arguments...]
  # Junction runs inside the benchmark's JVM and Artemis in a child JVM that stops when its standard
  # input closes; the trap makes sure of it even if this script is interrupted.
  java -Xmx1g -cp "$BENCH_CLASSPATH" "$1" --artemis-classpath="$ARTEMIS_PEER_CLASSPATH" "${@:2}" &
  bench=$!
  trap 'kill "$bench" 2>/dev/null || true; wait "$bench" 2>/dev/null || true' EXIT INT TERM
  wait "$bench"
}
