#!/usr/bin/env bash
# MQTT benchmark (issue 4): builds Junction and the load generator, starts Junction (its own JVM,
# as bin/junction runs it) and Mosquitto (Debian's /usr/sbin/mosquitto, by bench/peers/peer.sh) on free loopback ports,
# runs every scenario against each broker in turn, prints the result tables (markdown) on stdout
# and stops both brokers on exit. Progress and broker logs go to stderr / the temp directory.
#
# Extra arguments go to io.junction.bench.mqtt.MqttBench, e.g. --seconds=2 --repetitions=1 for a
# quick try, or --scenarios=fan-in,idle. Environment:
#   JUNCTION_JAVA_OPTS  JVM options of the Junction broker (default: bin/junction's, -Xms32m -Xmx512m -XX:G1PeriodicGCInterval=10000)
#   JUNCTION_FSYNC      store.fsync of the Junction broker (default: always, the shipped default)
#   JUNCTION_EXTRA_FSYNC  a second Junction broker with this store.fsync (e.g. never), run only in the
#                       QoS 1 scenarios (default: none)
#   MOSQUITTO_TCP_NODELAY  Mosquitto's set_tcp_nodelay (default: false, Mosquitto's own default, which gave it
#                       more throughput here than true; Junction's sockets have TCP_NODELAY)
#   MQTT_BENCH_BROKERS  which brokers to run: "junction mosquitto" (default), or one of them; or
#                       junction-transports: one Junction with four MQTT listeners, tcp, tls with
#                       provider jdk, tls with provider openssl, and wss (a self-signed key store made
#                       in the temp directory), each a broker of its own in the tables
#                       (bench/mqtt-transports.sh)
#   MQTT_BENCH_PIN=1    pin the brokers to CPU 0 and the load generator to CPU 1 (taskset), so that
#                       neither takes the other's core; default: not pinned
#   KEEP_TEMP=1         keep the temp directory (configs, broker logs) for a look afterwards
# See bench/README.md, section MQTT.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
root=$(pwd)

JUNCTION_JAVA_OPTS="${JUNCTION_JAVA_OPTS:--Xms32m -Xmx512m -XX:G1PeriodicGCInterval=10000}"
JUNCTION_FSYNC="${JUNCTION_FSYNC:-always}"
JUNCTION_EXTRA_FSYNC="${JUNCTION_EXTRA_FSYNC:-}"
MQTT_BENCH_PIN="${MQTT_BENCH_PIN:-0}"
broker_cpu=()
generator_cpu=()
MQTT_BENCH_PIN_BROKER= # PEER_CPUS of bench/peers/peer.sh
if [ "$MQTT_BENCH_PIN" = 1 ]; then
  broker_cpu=(taskset -c 0)
  generator_cpu=(taskset -c 1)
  MQTT_BENCH_PIN_BROKER=0
fi
MQTT_BENCH_BROKERS="${MQTT_BENCH_BROKERS:-junction mosquitto}"
MOSQUITTO_TCP_NODELAY="${MOSQUITTO_TCP_NODELAY:-false}"
# QoS 1 messages Mosquitto sends a client before waiting for PUBACKs: Junction's protocols.mqtt.maxInflight
# default, so both brokers hold the same window towards a subscriber.
INFLIGHT=64
# Messages either broker keeps waiting per subscription before it drops the oldest: Mosquitto's
# max_queued_messages default and Junction's protocols.mqtt.maxQueuedMessages default.
QUEUED=1000

# 10,000 idle connections need 10,000 descriptors in the load generator and as many in each broker.
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt 12000 ]; then
  echo "mqtt.sh: the file descriptor limit is $hard (hard); the idle scenario needs more than 10,000" >&2
fi
[ "$hard" = unlimited ] && hard=65536
ulimit -n "$hard"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/junction-mqtt-bench.XXXXXX")
pids=()
peer_dirs=()
cleanup() {
  local pid dir
  for dir in "${peer_dirs[@]}"; do
    bench/peers/peer.sh stop "$dir" || true
  done
  for pid in "${pids[@]}"; do
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
    echo "mqtt.sh: kept $tmp" >&2
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Maven's output goes to stderr, so that stdout carries the results only.
echo "[mqtt.sh] building Junction and the benchmark" >&2
mvn -B -q -o -Dmaven.test.skip=true -Pbench -pl broker-server,bench -am package >&2

broker_args=()
notes=()

# A self-signed EC key store for the tls and wss listeners, as `bin/junction tls-keystore` makes it (the
# JDK's keytool, password in the environment); the load generator trusts its certificate.
make_keystore() { # file
  export JUNCTION_KEYSTORE_PASSWORD
  JUNCTION_KEYSTORE_PASSWORD=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
  "$(dirname "$(readlink -f "$(command -v java)")")/keytool" -genkeypair -noprompt -keystore "$1" \
    -storetype PKCS12 -storepass:env JUNCTION_KEYSTORE_PASSWORD -alias broker -keyalg EC -groupname secp256r1 \
    -dname "CN=localhost" -ext "SAN=dns:localhost,ip:127.0.0.1" -validity 2 2>&1 | sed 's/^/[keytool] /' >&2
}

start_junction() { # label fsync scenarios [transport...]: one listener each, tcp alone by default
  # A transport is tcp, ws, tls or wss, or tls-jdk / tls-openssl: tls with that TLS provider.
  local label=$1 fsync=$2 scenarios=$3 port home jar pid transport name provider
  shift 3
  local transports=("${@:-tcp}") ports=() listeners=""
  home="$tmp/$label"
  mkdir -p "$home"
  for transport in "${transports[@]}"; do
    port=$(free_port)
    ports+=("$port")
    name=mqtt
    [ ${#transports[@]} -gt 1 ] && name="mqtt-$transport"
    provider=
    [[ $transport == *-* ]] && provider=${transport#*-}
    # Listeners bind in order: the one waited for below (the first) goes last.
    listeners="  - name: $name
    protocols: [mqtt]
    transport: ${transport%%-*}
    host: 127.0.0.1
    port: $port
$(if [[ $transport == tls* ]] || [ "$transport" = wss ]; then
  printf '    tls:\n      keyStore: %s\n      keyStorePassword: ${JUNCTION_KEYSTORE_PASSWORD}\n' "$tmp/junction.p12"
fi)$(if [ -n "$provider" ]; then printf '\n      provider: %s' "$provider"; fi)
$listeners"
  done
  cat >"$home/broker.yaml" <<EOF
broker:
  name: bench
  dataDirectory: $home/data
listeners:
$listeners
store:
  fsync: $fsync
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
  pids+=("$pid")
  wait_for_port "$label" "$pid" "${ports[0]}"
  local i listening=()
  for i in "${!transports[@]}"; do
    transport=${transports[$i]}
    if [ ${#transports[@]} -gt 1 ]; then
      broker_args+=("--broker=$label-$transport@${transport%%-*}://127.0.0.1:${ports[$i]}:$pid$scenarios")
    else
      broker_args+=("--broker=$label@$transport://127.0.0.1:${ports[$i]}:$pid$scenarios")
    fi
    listening+=("$transport 127.0.0.1:${ports[$i]}")
  done
  notes+=("--note=$label: $(git -C "$root" log -1 --format='commit %h (%s)'), JVM options $JUNCTION_JAVA_OPTS, \
store.fsync $fsync, protocols.mqtt.maxConnectsPerSecond 0, other settings default (maxInflight 64, maxQueuedMessages 1000), \
listeners $(IFS=,; echo "${listening[*]}" | sed 's/,/, /g'), pid $pid")
}

for broker in $MQTT_BENCH_BROKERS; do
  case $broker in
    junction)
      start_junction junction "$JUNCTION_FSYNC" ""
      if [ -n "$JUNCTION_EXTRA_FSYNC" ]; then
        start_junction "junction-fsync-$JUNCTION_EXTRA_FSYNC" "$JUNCTION_EXTRA_FSYNC" ":qos1+qos1-rtt+fan-out-1"
      fi
      ;;
    junction-transports)
      make_keystore "$tmp/junction.p12"
      broker_args+=("--trust=$tmp/junction.p12")
      start_junction junction "$JUNCTION_FSYNC" "" tcp tls-jdk tls-openssl wss
      ;;
    mosquitto)
      # Started by bench/peers/peer.sh (its own work dir, stopped by cleanup) with this script's settings.
      peer_line=$(PEER_CPUS="$MQTT_BENCH_PIN_BROKER" MOSQUITTO_MAX_INFLIGHT=$INFLIGHT MOSQUITTO_MAX_QUEUED=$QUEUED \
        MOSQUITTO_TCP_NODELAY=$MOSQUITTO_TCP_NODELAY bench/peers/peer.sh start mosquitto "$tmp/mosquitto")
      peer_dirs+=("$tmp/mosquitto")
      port=$(sed -n 's/.* mqtt=\([0-9]*\).*/\1/p' <<<"$peer_line")
      pid=$(sed -n 's/.* pid=\([0-9]*\).*/\1/p' <<<"$peer_line")
      version=$(sed -n 's/.* version=\([^ ]*\).*/\1/p' <<<"$peer_line")
      broker_args+=("--broker=mosquitto@127.0.0.1:$port:$pid")
      notes+=("--note=mosquitto: mosquitto version $version, persistence false, \
max_inflight_messages $INFLIGHT, max_queued_messages $QUEUED, set_tcp_nodelay $MOSQUITTO_TCP_NODELAY, listener 127.0.0.1:$port, pid $pid")
      ;;
    *)
      echo "mqtt.sh: unknown broker $broker (junction or mosquitto)" >&2
      exit 2
      ;;
  esac
done

echo "Command: bench/mqtt.sh $*"
[ "$MQTT_BENCH_PIN" = 1 ] && notes+=("--note=Pinned (MQTT_BENCH_PIN=1): brokers on CPU 0, the load generator on CPU 1 (taskset)")
"${generator_cpu[@]}" java -Xmx1g -cp "$BENCH_CLASSPATH" io.junction.bench.mqtt.MqttBench \
  "${broker_args[@]}" "${notes[@]}" "$@"
