#!/usr/bin/env bash
# Issue 8's load generator (bench/loadgen) against Junction and/or peers: builds Junction and the
# generator, starts each broker on free 127.0.0.1 ports (Junction as bin/junction runs it, with a
# temporary configuration; peers with bench/peers/peer.sh), runs every chosen scenario against every
# broker, the brokers alternating within each scenario and repetition, and stops what it started on
# exit. Stdout carries one BROKER line per broker (name, version, pid, idle RSS), the RESULT lines
# and a FAILED line per run that gave no result; progress, Maven and brokers' output go to stderr
# or the temp directory.
#
#   bench/loadgen.sh [--smoke] [--brokers="junction mosquitto"] [--scenarios=mqtt-fan-in,...]
#                    [--jms-protocols="openwire amqp"] [--transports="tcp tls wss"] [--repetitions=N]
#                    [--skip="rabbitmq:jms-queue-transacted ..."]
#                    [any option of the generator, e.g. --messages=50000 --seconds=20 --warmup-seconds=3]
#
# Each jms-* scenario runs once per protocol of --jms-protocols; mqtt-qos1 and stomp-queue run once
# per transport of --transports (tcp, tls, ws, wss; the other scenarios over tcp only), with the TLS
# material that bench/peers/tls.sh makes for this run. A scenario whose protocol or transport a
# broker does not serve (per its PEER line, e.g. OpenWire on Mosquitto) is skipped for it, with a note.
# --skip: broker:scenario pairs not to run (a note says so); a broker that every chosen scenario
# skips is not started.
# --smoke: every scenario with tiny counts (200 messages, 100 idle connections) against Junction
# only (unless --brokers says otherwise); exits non-zero if a scenario fails, throws, loses a message
# or a connection. Without --smoke the exit status is non-zero only when a scenario could not run.
# Brokers: junction, and the peers: mosquitto, artemis, activemq, rabbitmq.
# Environment:
#   JUNCTION_JAVA_OPTS  JVM options of the Junction broker (default: bin/junction's, -Xms32m -Xmx512m -XX:G1PeriodicGCInterval=10000)
#   LOADGEN_JAVA_OPTS   JVM options of the generator (default: -Xmx1g)
#   LOADGEN_PIN=1       brokers on CPU 0, the generator on CPU 1 (taskset); default: not pinned
#   KEEP_TEMP=1         keep the temp directory (configs, broker logs)
# See bench/README.md, section "Load generator (issue 8)".
set -euo pipefail
. "$(dirname "$0")/lib.sh"
root=$(pwd)

smoke=0
brokers=
scenarios=mqtt-fan-in,mqtt-qos1,mqtt-qos1-paced,mqtt-fan-out,mqtt-idle-connections,jms-queue-sync-1,jms-queue-sync-16
scenarios+=,jms-queue-async,jms-queue-transacted,jms-topic-fan-out,stomp-queue,mixed
jms_protocols="openwire amqp"
transports="tcp tls wss"
repetitions=1
skip=
passed=()
for arg in "$@"; do
  case $arg in
    --smoke) smoke=1 ;;
    --brokers=*) brokers=${arg#*=} ;;
    --scenarios=*) scenarios=${arg#*=} ;;
    --repetitions=*) repetitions=${arg#*=} ;;
    --jms-protocols=*) jms_protocols=${arg#*=} ;;
    --transports=*) transports=${arg#*=} ;;
    --skip=*) skip=${arg#*=} ;;
    --connections=*) passed+=("$arg"); connections=${arg#*=} ;;
    *) passed+=("$arg") ;;
  esac
done
for transport in $transports; do
  case $transport in
    tcp | tls | ws | wss) ;;
    *) echo "loadgen.sh: unknown transport $transport (tcp, tls, ws, wss)" >&2; exit 2 ;;
  esac
done
if [ -z "$brokers" ]; then
  if [ "$smoke" = 1 ]; then brokers=junction; else brokers="junction mosquitto"; fi
fi
# The smoke run goes through the warm-up too (1 s), so that it cannot rot either; a later
# --warmup-seconds of the command line wins.
[ "$smoke" = 1 ] && passed=(--smoke --warmup-seconds=1 "${passed[@]}")
connections=${connections:-$([ "$smoke" = 1 ] && echo 100 || echo 10000)}

JUNCTION_JAVA_OPTS="${JUNCTION_JAVA_OPTS:--Xms32m -Xmx512m -XX:G1PeriodicGCInterval=10000}"
LOADGEN_JAVA_OPTS="${LOADGEN_JAVA_OPTS:--Xmx1g}"
broker_cpu=()
generator_cpu=()
peer_cpus=
if [ "${LOADGEN_PIN:-0}" = 1 ]; then
  broker_cpu=(taskset -c 0)
  generator_cpu=(taskset -c 1)
  peer_cpus=0
fi

# Idle connections: one descriptor each in the generator and in the broker (which inherits this
# limit; peer.sh raises its peers' own), and one local port each from the ephemeral range.
hard=$(ulimit -Hn)
[ "$hard" = unlimited ] && hard=1048576
if [ "$hard" -lt $((connections + 1000)) ]; then
  echo "loadgen.sh: the open-file limit is $hard (hard); $connections connections need more, some will fail" >&2
fi
ulimit -n "$hard"
read -r low high </proc/sys/net/ipv4/ip_local_port_range
if [ $((high - low)) -lt $((connections + 1000)) ]; then
  echo "loadgen.sh: the local port range $low-$high is too small for $connections connections" >&2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/junction-loadgen.XXXXXX")
# Mosquitto drops to its own user before it reads its TLS key (a copy peer.sh makes in its work dir).
chmod 711 "$tmp"
junction_pids=()
peer_dirs=()
cleanup() {
  local pid dir
  for dir in "${peer_dirs[@]}"; do
    bench/peers/peer.sh stop "$dir" >&2 || true
  done
  for pid in "${junction_pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 150); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
      done
      kill -KILL "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  if [ "${KEEP_TEMP:-0}" = 1 ]; then
    echo "loadgen.sh: kept $tmp" >&2
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# One self-signed certificate for every broker's tls and wss listeners (server.p12, the PEM pair)
# and the clients' trust store (trust.p12); peer.sh gives its peers TLS listeners when it is set.
bench/peers/tls.sh "$tmp/tls" >/dev/null
export PEER_TLS_DIR=$tmp/tls

echo "[loadgen.sh] building Junction and the load generator" >&2
build -Dmaven.test.skip=true -Pbench -pl broker-server,bench/loadgen -am package

targets=() # name pid mqtt=port openwire=port ... (the PEER line's fields)
start_junction() {
  local home=$tmp/junction port openwire amqp stomp mqtt_tls mqtt_wss stomp_tls stomp_wss jar pid
  mkdir -p "$home"
  port=$(free_port)
  openwire=$(free_port)
  amqp=$(free_port)
  stomp=$(free_port)
  mqtt_tls=$(free_port)
  mqtt_wss=$(free_port)
  stomp_tls=$(free_port)
  stomp_wss=$(free_port)
  cat >"$home/broker.yaml" <<EOF
broker:
  name: loadgen
  dataDirectory: $home/data
listeners:
  - name: mqtt
    protocols: [mqtt]
    host: 127.0.0.1
    port: $port
  - name: openwire
    protocols: [openwire]
    host: 127.0.0.1
    port: $openwire
  - name: amqp
    protocols: [amqp]
    host: 127.0.0.1
    port: $amqp
  - name: stomp
    protocols: [stomp]
    host: 127.0.0.1
    port: $stomp
  - name: mqtt-tls
    protocols: [mqtt]
    transport: tls
    host: 127.0.0.1
    port: $mqtt_tls
    tls: { keyStore: $tmp/tls/server.p12, keyStorePassword: loadgen }
  - name: mqtt-wss
    protocols: [mqtt]
    transport: wss
    host: 127.0.0.1
    port: $mqtt_wss
    tls: { keyStore: $tmp/tls/server.p12, keyStorePassword: loadgen }
  - name: stomp-tls
    protocols: [stomp]
    transport: tls
    host: 127.0.0.1
    port: $stomp_tls
    tls: { keyStore: $tmp/tls/server.p12, keyStorePassword: loadgen }
  - name: stomp-wss
    protocols: [stomp]
    transport: wss
    host: 127.0.0.1
    port: $stomp_wss
    tls: { keyStore: $tmp/tls/server.p12, keyStorePassword: loadgen }
protocols:
  mqtt:
    # 10,000 connections arrive within a few seconds; the default (1000/s) would refuse most.
    maxConnectsPerSecond: 0
EOF
  jar=$(ls broker-server/target/broker-server-*.jar | head -n 1)
  # The command bin/junction runs, without its check for a rebuild (done above).
  # shellcheck disable=SC2086
  "${broker_cpu[@]}" java $JUNCTION_JAVA_OPTS -Djunction.home="$root" -Dlogback.configurationFile="$root/conf/logback.xml" \
    -cp "$jar:broker-server/target/lib/*" io.junction.server.Main run -c "$home/broker.yaml" \
    >"$home/stdout.log" 2>&1 &
  pid=$!
  junction_pids+=("$pid")
  for p in $port $openwire $amqp $stomp $mqtt_tls $mqtt_wss $stomp_tls $stomp_wss; do
    wait_for_port junction "$pid" "$p"
  done
  echo "[loadgen.sh] junction: pid $pid, 127.0.0.1: mqtt $port, openwire $openwire, amqp $amqp, stomp $stomp," \
    "mqtt-tls $mqtt_tls, mqtt-wss $mqtt_wss, stomp-tls $stomp_tls, stomp-wss $stomp_wss" >&2
  announce junction "$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)" "$pid"
  # Junction's WebSocket listeners take any path; the peers' path is /ws, so the clients ask for that everywhere.
  targets+=("junction $pid mqtt=$port openwire=$openwire amqp=$amqp stomp=$stomp mqtt-tls=$mqtt_tls\
 mqtt-wss=$mqtt_wss stomp-tls=$stomp_tls stomp-wss=$stomp_wss mqtt-wss-path=/ws stomp-wss-path=/ws")
}

# One BROKER line on stdout per broker, for the comparison report: its version and its RSS once
# every broker has started and then idled for $settle s, before any client connected (the idle
# broker's footprint; a JVM's heap shrinks at its first GC after start-up).
started=() # name version pid
settle=15
[ "$smoke" = 1 ] && settle=1
announce() { # name version pid
  started+=("$1 ${2:-unknown} $3")
}
announce_all() {
  local line name version pid rss
  sleep "$settle"
  for line in "${started[@]}"; do
    read -r name version pid <<<"$line"
    rss=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status" 2>/dev/null || true)
    echo "BROKER name=$name version=$version pid=$pid idleRssKb=${rss:-unknown} idleSeconds=$settle" \
      | tee -a "$tmp/results.txt"
  done
}

start_peer() { # name
  local line pid ports
  line=$(PEER_CPUS=$peer_cpus bench/peers/peer.sh start "$1" "$tmp/$1")
  peer_dirs+=("$tmp/$1")
  pid=$(sed -n 's/.* pid=\([0-9]*\).*/\1/p' <<<"$line")
  ports=$(grep -o '\(mqtt\|openwire\|amqp\|stomp\)\(-tls\|-ws\|-wss\)\?=[0-9]*' <<<"$line" | tr '\n' ' ')
  ports+=$(grep -o '\(mqtt\|stomp\)-wss\?-path=[^ ]*' <<<"$line" | tr '\n' ' ' || true)
  if [ -z "$pid" ] || [ -z "$ports" ]; then
    echo "loadgen.sh: $1 gave no pid or ports: $line" >&2
    exit 1
  fi
  echo "[loadgen.sh] $line" >&2
  announce "$1" "$(sed -n 's/.* version=\([^ ]*\).*/\1/p' <<<"$line")" "$pid"
  targets+=("$1 $pid $ports")
}

value_of() { # key "name pid key=value ...": the value, or nothing
  sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $2 "
}

run_one() { # scenario key target [generator options]; key: the protocol, or protocol-transport (mqtt-tls)
  local scenario=$1 key=$2 target=$3 name pid port label status output result
  shift 3
  name=${target%% *}
  pid=$(cut -d' ' -f2 <<<"$target")
  label="$scenario${*:+ $*} against $name"
  if [ "$key" = mixed ]; then
    # Every protocol at once: the broker must serve all four.
    local p ports=()
    for p in mqtt openwire amqp stomp; do
      port=$(value_of "$p" "$target")
      if [ -z "$port" ]; then
        echo "[loadgen.sh] skipped: $name serves no $p, which the mixed run needs" >&2
        return
      fi
      ports+=("$p:$port")
    done
    set -- "$@" "--ports=$(IFS=,; echo "${ports[*]}")"
    port=$(value_of mqtt "$target")
  else
    port=$(value_of "$key" "$target")
  fi
  if [ -z "$port" ]; then
    echo "[loadgen.sh] skipped: $name serves no $key" >&2
    return
  fi
  echo "[loadgen.sh] run $repetition: $label" >&2
  status=0
  output=$("${generator_cpu[@]}" java $LOADGEN_JAVA_OPTS -jar bench/loadgen/target/junction-loadgen.jar \
    --scenario="$scenario" --broker="$name@127.0.0.1:$port" --broker-pid="$pid" "$@" "${passed[@]}") || status=$?
  result=$(grep '^RESULT ' <<<"$output" || true)
  [ -n "$result" ] && echo "$result" | tee -a "$tmp/results.txt"
  if [ "$status" != 0 ] || [ -z "$result" ]; then
    echo "loadgen.sh: $label failed (exit status $status)" >&2
    # For the comparison report: which run gave no result.
    echo "FAILED $scenario over $key against $name, repetition $repetition (exit status $status)" \
      | tee -a "$tmp/results.txt"
    failures=$((failures + 1))
  elif [ "$smoke" = 1 ] && { grep -q '"lost":true' <<<"$result" || grep -q '"failed":[1-9]' <<<"$result"; }; then
    echo "loadgen.sh: $label lost messages or connections" >&2
    failures=$((failures + 1))
  fi
}

run_over() { # scenario protocol transport target: the run over tls, ws or wss
  local key=$2-$3 path options=(--transport="$3")
  case $3 in
    tls | wss) options+=(--trust-store="$tmp/tls/trust.p12" --trust-store-password=loadgen) ;;
  esac
  path=$(value_of "$key-path" "$4")
  [ -n "$path" ] && options+=(--ws-path="$path")
  run_one "$1" "$key" "$4" "${options[@]}"
}

skipped() { # broker scenario: whether --skip names the pair
  local pair
  for pair in $skip; do
    [ "$pair" = "$1:$2" ] && return 0
  done
  return 1
}

for broker in $brokers; do
  needed=0
  for scenario in ${scenarios//,/ }; do
    skipped "$broker" "$scenario" || needed=1
  done
  if [ "$needed" = 0 ]; then
    echo "[loadgen.sh] $broker: --skip names every scenario of this run for it; not started" >&2
    continue
  fi
  case $broker in
    junction) start_junction ;;
    mosquitto | artemis | activemq | rabbitmq) start_peer "$broker" ;;
    *) echo "loadgen.sh: unknown broker $broker (junction, mosquitto, artemis, activemq, rabbitmq)" >&2; exit 2 ;;
  esac
done

announce_all

failures=0
for repetition in $(seq 1 "$repetitions"); do
  for scenario in ${scenarios//,/ }; do
    case $scenario in
      mqtt-*) protocols=mqtt ;;
      stomp-*) protocols=stomp ;;
      mixed) protocols=mixed ;;
      jms-*) protocols=$jms_protocols ;;
      *) echo "loadgen.sh: unknown scenario $scenario" >&2; exit 2 ;;
    esac
    case $scenario in
      mqtt-qos1 | stomp-queue) scenario_transports=$transports ;;
      *) scenario_transports=tcp ;;
    esac
    for protocol in $protocols; do
      for transport in $scenario_transports; do
        for target in "${targets[@]}"; do
          if skipped "${target%% *}" "$scenario"; then
            echo "[loadgen.sh] skipped: $scenario against ${target%% *} (--skip)" >&2
            continue
          fi
          if [ "${scenario%%-*}" = jms ]; then
            run_one "$scenario" "$protocol" "$target" --protocol="$protocol"
          elif [ "$transport" = tcp ]; then
            run_one "$scenario" "$protocol" "$target"
          else
            run_over "$scenario" "$protocol" "$transport" "$target"
          fi
        done
      done
    done
  done
done
if [ "$smoke" = 1 ]; then
  # The comparison report (bench/compare.sh) made from these lines, so that it cannot rot either.
  java -cp 'bench/loadgen/target/junction-loadgen.jar:bench/loadgen/target/lib/*' \
    io.junction.bench.loadgen.report.ComparisonReport --results="$tmp/results.txt" >"$tmp/report.md"
  echo "[loadgen.sh] the comparison report of the smoke run has $(grep -c '^|' "$tmp/report.md") table lines" >&2
fi
if [ "$failures" -gt 0 ]; then
  echo "loadgen.sh: $failures run(s) failed" >&2
  exit 1
fi
