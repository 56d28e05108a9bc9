#!/usr/bin/env bash
# The peer brokers of the benchmark (issue 8), each started on free 127.0.0.1 ports of this machine
# (never a broker's default port, so a peer runs beside a Junction or another peer):
#
#   bench/peers/peer.sh start <artemis|activemq|rabbitmq|mosquitto> <work dir>
#   bench/peers/peer.sh stop <work dir>
#   bench/peers/peer.sh check <work dir>
#
# start installs or fetches what is missing (Debian packages with apt-get, the Artemis distribution
# and the ActiveMQ peer's jars from the Maven registry into $JUNCTION_BENCH_CACHE), creates the
# broker's configuration and data in the work dir, starts the broker in the background (its own
# session and process group), waits until every protocol port accepts, and prints one line on
# stdout, e.g.
#   PEER name=artemis version=2.40.0 pid=1234 mqtt=40001 stomp=40002 amqp=40003 openwire=40004
# (only the protocols the peer serves; pid is the broker's process). With PEER_TLS_DIR set, the peer
# also opens TLS and WebSocket-over-TLS listeners for MQTT and STOMP where it can, and the line
# gains their keys: mqtt-tls, mqtt-wss, stomp-tls, stomp-wss (a port each; the same port twice where
# one listener serves both) and mqtt-wss-path, stomp-wss-path where the WebSocket path matters, e.g.
#   PEER name=rabbitmq ... mqtt-tls=40005 stomp-tls=40006 mqtt-wss=40007 mqtt-wss-path=/ws ...
# Everything else goes to
# stderr; the broker's logs stay in the work dir. The work dir can be used again after a stop: the
# broker's data is kept, the ports are new.
#
# stop stops the peer started in the work dir (SIGTERM to its process group, SIGKILL after 60 s)
# and waits until none of its processes is left. check runs one real client round trip per
# protocol the peer serves (see bench/README.md, section Peers).
#
# Environment:
#   PEER_CPUS               run the broker under `taskset -c $PEER_CPUS` (e.g. 0), default: not pinned
#   PEER_TLS_DIR            a directory made by bench/peers/tls.sh: open the tls and wss listeners too
#   JUNCTION_BENCH_CACHE    where the Artemis distribution is unpacked (default ~/.cache/junction-bench)
#   MOSQUITTO_MAX_INFLIGHT  Mosquitto's max_inflight_messages (default 64, as bench/mqtt.sh)
#   MOSQUITTO_MAX_QUEUED    Mosquitto's max_queued_messages (default 1000, Mosquitto's own default)
#   MOSQUITTO_TCP_NODELAY   Mosquitto's set_tcp_nodelay (default false, Mosquitto's own default)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
CACHE=${JUNCTION_BENCH_CACHE:-$HOME/.cache/junction-bench}
ARTEMIS_VERSION=2.40.0
ACTIVEMQ_PEER=$root/bench/activemq-peer
CHECK=$here/check
PYTHON=/usr/bin/python3 # Debian's, which has python3-stomp
START_TIMEOUT=180       # seconds a broker gets to listen on every port
TLS_PASSWORD=loadgen    # of the PKCS12 files that bench/peers/tls.sh writes
tls_dir=                # PEER_TLS_DIR as an absolute path when start opens tls and wss listeners

log() { echo "[peer.sh] $*" >&2; }
die() { echo "peer.sh: $*" >&2; exit 1; }

usage() {
  sed -n '2,36p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# Maven, offline first (fast, and enough once the local repository has everything), online when
# something is missing (a fresh machine). Its output goes to stderr.
# Its output is shown only when both fail.
mvn_run() {
  local out status=0
  out=$(mktemp)
  mvn -B -q -o "$@" >"$out" 2>&1 || mvn -B -q "$@" >"$out" 2>&1 || status=$?
  [ $status = 0 ] || cat "$out" >&2
  rm -f "$out"
  return $status
}

apt_ensure() { # package file-it-installs
  [ -e "$2" ] && return 0
  log "installing Debian package $1"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=300 "$1" >&2; then
    apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=300 "$1" >&2
  fi
  [ -e "$2" ] || die "$1 is installed but $2 is missing"
}

free_ports() { # count: that many distinct free loopback ports, all bound at once so none repeats
  "$PYTHON" - "$1" <<'EOF'
import socket, sys
sockets = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    sockets.append(s)
print(" ".join(str(s.getsockname()[1]) for s in sockets))
EOF
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The peer runs in a session and process group of its own (setsid), so that stop reaches every
# process it forks; pinned with taskset when PEER_CPUS is set. Its standard input is /dev/null and
# its output goes to the work dir, so that it holds nothing of the caller's.
launch() { # log file, command...
  local out=$1 pin=()
  shift
  [ -n "${PEER_CPUS:-}" ] && pin=(taskset -c "$PEER_CPUS")
  setsid "${pin[@]}" "$@" </dev/null >"$out" 2>&1 &
  launched=$!
  starting+=("$launched")
}

# Process groups launched by this start; stopped again if the start fails half way.
starting=()
stop_started_on_failure() {
  local status=$? pgid
  if [ $status != 0 ]; then
    for pgid in "${starting[@]}"; do
      stop_group "$pgid" || true
    done
  fi
}

# Whether a process of the group runs (a zombie does not count: this script's children that exit
# stay zombies until it ends, and a parent other than init may not reap them at all).
group_alive() { ps -eo pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/ { found = 1 } END { exit !found }'; }

# The same for one process: the group does not exist until the new process has called setsid.
process_alive() { ps -o stat= -p "$1" 2>/dev/null | grep -qv '^Z'; }

wait_ports() { # name pid log port...
  local name=$1 pid=$2 out=$3 port
  shift 3
  local deadline=$((SECONDS + START_TIMEOUT))
  for port in "$@"; do
    until port_open "$port"; do
      if ! process_alive "$pid"; then
        tail -n 30 "$out" >&2 || true
        die "$name exited before it listened on $port; its log: $out"
      fi
      if [ $SECONDS -ge $deadline ]; then
        die "$name does not listen on $port after $START_TIMEOUT s; its log: $out"
      fi
      sleep 0.2
    done
  done
}

stop_group() { # process group id: SIGTERM, then SIGKILL after 60 s; returns when it is empty
  local pgid=$1 i
  group_alive "$pgid" || return 0
  kill -TERM -- "-$pgid" 2>/dev/null || true
  for i in $(seq 1 300); do
    group_alive "$pgid" || return 0
    sleep 0.2
  done
  log "process group $pgid still running after 60 s: SIGKILL"
  kill -KILL -- "-$pgid" 2>/dev/null || true
  for i in $(seq 1 50); do
    group_alive "$pgid" || return 0
    sleep 0.2
  done
  die "process group $pgid survived SIGKILL"
}

# PEER_TLS_DIR, checked: every file that bench/peers/tls.sh writes, and a path that the brokers'
# configuration files (an XML acceptor URI, mosquitto.conf, rabbitmq.conf) take without quoting.
tls_init() {
  [ -n "${PEER_TLS_DIR:-}" ] || return 0
  [ -d "$PEER_TLS_DIR" ] || die "PEER_TLS_DIR=$PEER_TLS_DIR is not a directory (make it with bench/peers/tls.sh <dir>)"
  local file
  for file in server-key.pem server-cert.pem server.p12 trust.p12; do
    [ -f "$PEER_TLS_DIR/$file" ] || die "PEER_TLS_DIR=$PEER_TLS_DIR has no $file (make it with bench/peers/tls.sh <dir>)"
  done
  tls_dir=$(cd "$PEER_TLS_DIR" && pwd)
  case $tls_dir in
    *[!A-Za-z0-9._/+-]*) die "PEER_TLS_DIR=$tls_dir: only letters, digits and ._/+- can go into the brokers' configurations" ;;
  esac
}

# The work dir's peer.state (shell assignments) says what runs there; stop and check read it.
write_state() { # name version process-group broker-pid extra-process-groups protocol=port...
  local name=$1 version=$2 pgid=$3 pid=$4 extra=$5 line
  shift 5
  line="PEER name=$name version=$version pid=$pid $*"
  {
    echo "PEER_NAME=$name"
    echo "PEER_PGID=$pgid"
    echo "PEER_PID=$pid"
    echo "PEER_EXTRA_GROUPS='$extra'"
    echo "PEER_PORTS='$*'"
    echo "PEER_TLS_DIR_USED='$tls_dir'"
    echo "PEER_LINE='$line'"
  } >"$work/peer.state"
  echo "$line"
}

# --- Artemis: the binary distribution, an instance made by `artemis create` -----------------------

artemis_home() {
  local home=$CACHE/apache-artemis-$ARTEMIS_VERSION tmp
  if [ ! -x "$home/bin/artemis" ]; then
    log "fetching apache-artemis $ARTEMIS_VERSION (bin tar.gz) into $CACHE"
    mkdir -p "$CACHE"
    tmp=$(mktemp -d "$CACHE/fetch.XXXXXX")
    mvn_run org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      "-Dartifact=org.apache.activemq:apache-artemis:$ARTEMIS_VERSION:tar.gz:bin" "-DoutputDirectory=$tmp"
    tar xzf "$tmp/apache-artemis-$ARTEMIS_VERSION-bin.tar.gz" -C "$tmp"
    rm -rf "$home"
    mv "$tmp/apache-artemis-$ARTEMIS_VERSION" "$home"
    rm -rf "$tmp"
  fi
  echo "$home"
}

start_artemis() {
  command -v java >/dev/null || die "java is not on the PATH"
  local home instance=$work/artemis ports core amqp stomp hornetq mqtt mqtt_tls= stomp_tls= tls=() port
  home=$(artemis_home)
  if [ ! -f "$instance/etc/broker.xml" ]; then
    log "creating the Artemis instance $instance (the journal's sync test takes a few seconds)"
    # --allow-anonymous: anonymous clients get the role of --user; --no-web: no console on 8161.
    "$home/bin/artemis" create --silent --allow-anonymous --user bench --password bench \
      --host 127.0.0.1 --http-host 127.0.0.1 --no-web "$instance" >"$work/artemis-create.log" 2>&1 \
      || { cat "$work/artemis-create.log" >&2; die "artemis create failed"; }
  fi
  read -r core amqp stomp hornetq mqtt mqtt_tls stomp_tls <<<"$(free_ports 7)"
  # With PEER_TLS_DIR: a copy of the mqtt and of the stomp acceptor (the same options, the STOMP
  # prefixes included) on a port of its own with TLS on. An Artemis acceptor takes a WebSocket
  # upgrade on any path on the same port, so each serves both tls and wss.
  if [ -n "$tls_dir" ]; then
    local ssl=";sslEnabled=true;keyStoreType=PKCS12;keyStorePath=$tls_dir/server.p12;keyStorePassword=$TLS_PASSWORD"
    tls=(
      -e "/<acceptor name=\"mqtt\">/{p;s/name=\"mqtt\"/name=\"mqtt-tls\"/;s/:[0-9]+\\?/:$mqtt_tls?/;s#</acceptor>#$ssl</acceptor>#}"
      -e "/<acceptor name=\"stomp\">/{p;s/name=\"stomp\"/name=\"stomp-tls\"/;s/:[0-9]+\\?/:$stomp_tls?/;s#</acceptor>#$ssl</acceptor>#}"
    )
  fi
  # Every acceptor that `create` writes, moved to a free port; the STOMP acceptor also gets the
  # /queue/ and /topic/ prefixes that the other brokers give STOMP destinations. The TLS acceptors
  # of an earlier start go, and come back when PEER_TLS_DIR is set.
  sed -E -i \
    -e '/<acceptor name="(mqtt|stomp)-tls">/d' \
    -e "s#(<acceptor name=\"artemis\">tcp://127\\.0\\.0\\.1:)[0-9]+#\\1$core#" \
    -e "s#(<acceptor name=\"amqp\">tcp://127\\.0\\.0\\.1:)[0-9]+#\\1$amqp#" \
    -e "s#(<acceptor name=\"stomp\">tcp://127\\.0\\.0\\.1:)[0-9]+#\\1$stomp#" \
    -e "s#(<acceptor name=\"hornetq\">tcp://127\\.0\\.0\\.1:)[0-9]+#\\1$hornetq#" \
    -e "s#(<acceptor name=\"mqtt\">tcp://127\\.0\\.0\\.1:)[0-9]+#\\1$mqtt#" \
    -e '/<acceptor name="stomp">/{/anycastPrefix/!s#</acceptor>#;anycastPrefix=/queue/;multicastPrefix=/topic/</acceptor>#}' \
    "${tls[@]}" "$instance/etc/broker.xml"
  ports=("$core" "$amqp" "$stomp" "$hornetq" "$mqtt")
  [ -n "$tls_dir" ] && ports+=("$mqtt_tls" "$stomp_tls")
  for port in "${ports[@]}"; do
    grep -q "127.0.0.1:$port?" "$instance/etc/broker.xml" || die "could not move an acceptor of $instance/etc/broker.xml to $port"
  done
  launch "$work/artemis.out" "$instance/bin/artemis" run
  local pid=$launched
  wait_ports artemis "$pid" "$work/artemis.out" "${ports[@]}"
  [ -n "$tls_dir" ] && tls=(mqtt-tls="$mqtt_tls" mqtt-wss="$mqtt_tls" stomp-tls="$stomp_tls" stomp-wss="$stomp_tls")
  write_state artemis "$ARTEMIS_VERSION" "$pid" "$pid" "" mqtt="$mqtt" stomp="$stomp" amqp="$amqp" openwire="$core" core="$core" \
    "${tls[@]}"
}

# --- ActiveMQ Classic: its broker jars embedded (bench/activemq-peer) -------------------------------

start_activemq() {
  command -v java >/dev/null || die "java is not on the PATH"
  local jar=$ACTIVEMQ_PEER/target/activemq-peer.jar openwire amqp stomp mqtt mqtt_tls stomp_tls version
  local ports tls_options=() tls=()
  if [ ! -f "$jar" ] || [ -n "$(find "$ACTIVEMQ_PEER/src" "$ACTIVEMQ_PEER/pom.xml" -newer "$jar" -print -quit)" ]; then
    log "building bench/activemq-peer"
    mvn_run -f "$ACTIVEMQ_PEER/pom.xml" package
  fi
  read -r openwire amqp stomp mqtt mqtt_tls stomp_tls <<<"$(free_ports 6)"
  ports=("$openwire" "$amqp" "$stomp" "$mqtt")
  if [ -n "$tls_dir" ]; then
    # mqtt+ssl and stomp+ssl connectors; no wss one (activemq-http is not in the Maven registry).
    tls_options=("--tls-keystore=$tls_dir/server.p12" "--tls-password=$TLS_PASSWORD" "--mqtt-tls=$mqtt_tls"
      "--stomp-tls=$stomp_tls")
    ports+=("$mqtt_tls" "$stomp_tls")
    tls=(mqtt-tls="$mqtt_tls" stomp-tls="$stomp_tls")
  fi
  mkdir -p "$work/activemq"
  # -Xms64M -Xmx1G: the distribution's ACTIVEMQ_OPTS_MEMORY (bin/setenv).
  launch "$work/activemq.out" java -Xms64M -Xmx1G -Djava.awt.headless=true \
    -cp "$jar:$ACTIVEMQ_PEER/target/lib/*" io.junction.bench.peer.ActiveMqPeer \
    "$work/activemq/data" "$openwire" "$amqp" "$stomp" "$mqtt" "${tls_options[@]}"
  local pid=$launched
  wait_ports activemq "$pid" "$work/activemq.out" "${ports[@]}"
  # The connectors accept before the broker has started and printed READY with its version.
  local deadline=$((SECONDS + START_TIMEOUT))
  until grep -q '^READY ' "$work/activemq.out"; do
    process_alive "$pid" || die "activemq exited before it was ready; its log: $work/activemq.out"
    [ $SECONDS -lt $deadline ] || die "activemq is not ready after $START_TIMEOUT s; its log: $work/activemq.out"
    sleep 0.2
  done
  version=$(sed -n 's/^READY version=\([^ ]*\).*/\1/p' "$work/activemq.out")
  write_state activemq "${version:-unknown}" "$pid" "$pid" "" mqtt="$mqtt" stomp="$stomp" amqp="$amqp" openwire="$openwire" \
    "${tls[@]}"
}

# --- RabbitMQ: Debian's package, a node of its own in the work dir ----------------------------------

start_rabbitmq() {
  apt_ensure rabbitmq-server /usr/lib/rabbitmq/bin/rabbitmq-server
  local dir=$work/rabbitmq amqp mqtt stomp dist epmd_port version mqtt_tls stomp_tls mqtt_wss stomp_wss
  local plugins=rabbitmq_mqtt,rabbitmq_stomp,rabbitmq_amqp1_0 ports tls=()
  read -r amqp mqtt stomp dist epmd_port mqtt_tls stomp_tls mqtt_wss stomp_wss <<<"$(free_ports 9)"
  ports=("$amqp" "$mqtt" "$stomp")
  mkdir -p "$dir/home" "$dir/mnesia" "$dir/log"
  cat >"$dir/rabbitmq.conf" <<EOF
# Written by bench/peers/peer.sh: listeners on loopback ports of their own; otherwise RabbitMQ's
# defaults (guest/guest, allowed from loopback only).
listeners.tcp.default = 127.0.0.1:$amqp
mqtt.listeners.tcp.default = 127.0.0.1:$mqtt
stomp.listeners.tcp.default = 127.0.0.1:$stomp
# STOMP clients that send no login act as guest, as MQTT and AMQP 1.0 clients do by default.
stomp.default_user = guest
stomp.default_pass = guest
EOF
  if [ -n "$tls_dir" ]; then
    # The MQTT and STOMP plugins' TLS listeners take the node's ssl_options; the Web MQTT and Web
    # STOMP plugins have options of their own, and a plain WebSocket listener each (ports 15675 and
    # 15674 by default) that is turned off: only wss is asked for.
    cat >>"$dir/rabbitmq.conf" <<EOF
# PEER_TLS_DIR: TLS and WebSocket-over-TLS listeners for MQTT and STOMP, no client certificates.
ssl_options.cacertfile = $tls_dir/server-cert.pem
ssl_options.certfile = $tls_dir/server-cert.pem
ssl_options.keyfile = $tls_dir/server-key.pem
ssl_options.verify = verify_none
ssl_options.fail_if_no_peer_cert = false
mqtt.listeners.ssl.default = 127.0.0.1:$mqtt_tls
stomp.listeners.ssl.default = 127.0.0.1:$stomp_tls
web_mqtt.tcp.listener = none
web_mqtt.ssl.ip = 127.0.0.1
web_mqtt.ssl.port = $mqtt_wss
web_mqtt.ssl.certfile = $tls_dir/server-cert.pem
web_mqtt.ssl.keyfile = $tls_dir/server-key.pem
web_mqtt.ws_path = /ws
web_stomp.tcp.listener = none
web_stomp.ssl.ip = 127.0.0.1
web_stomp.ssl.port = $stomp_wss
web_stomp.ssl.certfile = $tls_dir/server-cert.pem
web_stomp.ssl.keyfile = $tls_dir/server-key.pem
web_stomp.ws_path = /ws
web_stomp.ws_frame = binary
EOF
    plugins+=,rabbitmq_web_mqtt,rabbitmq_web_stomp
    ports+=("$mqtt_tls" "$stomp_tls" "$mqtt_wss" "$stomp_wss")
    tls=(mqtt-tls="$mqtt_tls" mqtt-wss="$mqtt_wss" mqtt-wss-path=/ws stomp-tls="$stomp_tls" stomp-wss="$stomp_wss"
      stomp-wss-path=/ws)
  fi
  echo "[$plugins]." >"$dir/enabled_plugins"
  : >"$dir/rabbitmq-env.conf" # instead of /etc/rabbitmq/rabbitmq-env.conf
  # The node's own epmd on a port of its own: an epmd that the node started would outlive it.
  launch "$dir/log/epmd.out" env ERL_EPMD_ADDRESS=127.0.0.1 epmd -port "$epmd_port"
  local epmd_pid=$launched
  wait_ports epmd "$epmd_pid" "$dir/log/epmd.out" "$epmd_port"
  # The package's /usr/lib/rabbitmq/bin/rabbitmq-server, as root (the /usr/sbin wrapper would switch
  # to the rabbitmq user, who cannot write the work dir).
  launch "$work/rabbitmq.out" env HOME="$dir/home" ERL_EPMD_PORT="$epmd_port" \
    RABBITMQ_NODENAME=bench@localhost RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$amqp" \
    RABBITMQ_DIST_PORT="$dist" RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" \
    RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config" RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
    RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_PID_FILE="$dir/rabbitmq.pid" \
    /usr/lib/rabbitmq/bin/rabbitmq-server
  local pid=$launched
  # For a look with rabbitmqctl: . <work dir>/rabbitmq/rabbitmqctl.env; rabbitmqctl list_queues name durable
  cat >"$dir/rabbitmqctl.env" <<EOF
export HOME='$dir/home' ERL_EPMD_PORT=$epmd_port RABBITMQ_NODENAME=bench@localhost PATH="/usr/lib/rabbitmq/bin:\$PATH"
EOF
  wait_ports rabbitmq "$pid" "$work/rabbitmq.out" "${ports[@]}"
  version=$(dpkg-query -W -f '${Version}' rabbitmq-server)
  # The launched process is the package's start script; the broker is the Erlang VM it starts.
  local beam
  beam=$(ps -eo pid=,pgid=,comm= | awk -v g="$pid" '$2 == g && $3 == "beam.smp" { print $1 }')
  [ -n "$beam" ] || die "no beam.smp process in the group of $pid"
  write_state rabbitmq "${version%%-*}" "$pid" "$beam" "$epmd_pid" mqtt="$mqtt" stomp="$stomp" amqp="$amqp" "${tls[@]}"
}

# --- Mosquitto: Debian's package, a config file in the work dir --------------------------------------

start_mosquitto() {
  apt_ensure mosquitto /usr/sbin/mosquitto
  local port version mqtt_tls mqtt_wss ports tls=()
  read -r port mqtt_tls mqtt_wss <<<"$(free_ports 3)"
  ports=("$port")
  cat >"$work/mosquitto.conf" <<EOF
# Written by bench/peers/peer.sh (the settings of bench/mqtt.sh).
listener $port 127.0.0.1
allow_anonymous true
persistence false
max_connections -1
max_inflight_messages ${MOSQUITTO_MAX_INFLIGHT:-64}
max_queued_messages ${MOSQUITTO_MAX_QUEUED:-1000}
set_tcp_nodelay ${MOSQUITTO_TCP_NODELAY:-false}
log_dest stderr
log_type error
log_type warning
EOF
  if [ -n "$tls_dir" ]; then
    # Started as root, Mosquitto drops to the mosquitto user before it reads the key, which
    # tls.sh leaves readable by its owner only: a copy in the work dir, owned by that user.
    local keys=$work/mosquitto-tls owner=()
    [ "$(id -u)" = 0 ] && owner=(-o mosquitto -g mosquitto)
    mkdir -p "$keys"
    install -m 600 "${owner[@]}" "$tls_dir/server-key.pem" "$keys/server-key.pem"
    install -m 644 "$tls_dir/server-cert.pem" "$keys/server-cert.pem"
    if [ "$(id -u)" = 0 ] && ! runuser -u mosquitto -- test -r "$keys/server-key.pem"; then
      die "the mosquitto user cannot reach $keys (a directory above it is closed to other users)"
    fi
    # Debian's build has libwebsockets built in; its websockets listener binds every interface
    # (the address after the port is not used for it) and takes any path.
    cat >>"$work/mosquitto.conf" <<EOF
listener $mqtt_tls 127.0.0.1
certfile $keys/server-cert.pem
keyfile $keys/server-key.pem
listener $mqtt_wss 127.0.0.1
protocol websockets
certfile $keys/server-cert.pem
keyfile $keys/server-key.pem
EOF
    ports+=("$mqtt_tls" "$mqtt_wss")
    tls=(mqtt-tls="$mqtt_tls" mqtt-wss="$mqtt_wss")
  fi
  launch "$work/mosquitto.out" /usr/sbin/mosquitto -c "$work/mosquitto.conf"
  local pid=$launched
  wait_ports mosquitto "$pid" "$work/mosquitto.out" "${ports[@]}"
  version=$(/usr/sbin/mosquitto -h 2>&1 | sed -n '1s/^mosquitto version \([^ ]*\).*/\1/p' || true) # -h exits with 3
  write_state mosquitto "${version:-unknown}" "$pid" "$pid" "" mqtt="$port" "${tls[@]}"
}

# --- stop and check ------------------------------------------------------------------------------------

read_state() {
  [ -f "$work/peer.state" ] || die "no peer was started in $work (no peer.state)"
  # shellcheck disable=SC1091
  . "$work/peer.state"
}

stop_peer() {
  read_state
  local extra
  log "stopping $PEER_NAME (process group $PEER_PGID)"
  stop_group "$PEER_PGID"
  for extra in $PEER_EXTRA_GROUPS; do
    stop_group "$extra"
  done
  rm -f "$work/peer.state"
  log "$PEER_NAME stopped"
}

check_mqtt() { # key port [CA certificate: over TLS]
  apt_ensure mosquitto-clients /usr/bin/mosquitto_sub
  local key=$1 port=$2 topic="peer-check/$$" payload="mqtt round trip $$ $RANDOM" out i tls=() over=
  [ $# -ge 3 ] && tls=(--cafile "$3") && over=" over TLS"
  out=$(mktemp)
  mosquitto_sub -h 127.0.0.1 -p "$port" "${tls[@]}" -q 1 -t "$topic" -C 1 -W 20 >"$out" 2>&1 &
  local sub=$!
  # Published until the subscriber has it: the subscription may not be in place for the first ones.
  for i in $(seq 1 40); do
    kill -0 "$sub" 2>/dev/null || break
    mosquitto_pub -h 127.0.0.1 -p "$port" "${tls[@]}" -q 1 -t "$topic" -m "$payload" || true
    sleep 0.5
  done
  wait "$sub" || true
  if [ "$(cat "$out")" = "$payload" ]; then
    echo "ok $key: QoS 1 publish and subscribe through 127.0.0.1:$port$over (mosquitto_pub / mosquitto_sub)"
    rm -f "$out"
  else
    echo "FAILED $key on 127.0.0.1:$port: got '$(cat "$out")'"
    rm -f "$out"
    return 1
  fi
}

# RabbitMQ takes a STOMP CONNECT frame's host header for the virtual host: "/" is its default one.
stomp_host() { if [ "$PEER_NAME" = rabbitmq ]; then echo /; else echo 127.0.0.1; fi; }

check_stomp() { # port [CA certificate: over TLS]
  apt_ensure python3-stomp /usr/lib/python3/dist-packages/stomp/__init__.py
  local tls=()
  [ $# -ge 2 ] && tls=(--cafile "$2")
  "$PYTHON" "$here/stomp_check.py" "${tls[@]}" "$1" "$(stomp_host)"
}

# The Java clients of bench/peers/check, built when missing or older than their sources.
check_java() { # main class, arguments...
  local jar=$CHECK/target/peer-check.jar main=$1
  shift
  if [ ! -f "$jar" ] || [ -n "$(find "$CHECK/src" "$CHECK/pom.xml" -newer "$jar" -print -quit)" ]; then
    log "building bench/peers/check"
    mvn_run -f "$CHECK/pom.xml" package
  fi
  java -cp "$jar:$CHECK/target/lib/*" "io.junction.bench.peer.$main" "$@"
}

check_jms() { # protocol port
  check_java PeerCheck "$1" "$2" "$PEER_NAME"
}

# A value of the peer's PEER line (e.g. mqtt-wss-path), or the second argument when it has none.
peer_value() { # key default
  local entry
  for entry in $PEER_PORTS; do
    [ "${entry%%=*}" = "$1" ] && { echo "${entry#*=}"; return; }
  done
  echo "$2"
}

check_wss() { # mqtt|stomp port
  local path
  # Artemis and Mosquitto take any path; /mqtt and /stomp are what their documentation shows.
  path=$(peer_value "$1-wss-path" "/$1")
  case $1 in
    mqtt) check_java MqttWssCheck "$2" "$path" "$PEER_TLS_DIR_USED/trust.p12" ;;
    stomp) check_java StompWssCheck "$2" "$path" "$PEER_TLS_DIR_USED/trust.p12" "$(stomp_host)" ;;
  esac
}

check_peer() {
  read_state
  group_alive "$PEER_PGID" || die "$PEER_NAME (process group $PEER_PGID) is not running"
  local entry failed=0
  for entry in $PEER_PORTS; do
    case ${entry%%=*} in
      mqtt) check_mqtt mqtt "${entry#*=}" || failed=1 ;;
      mqtt-tls) check_mqtt mqtt-tls "${entry#*=}" "$PEER_TLS_DIR_USED/server-cert.pem" || failed=1 ;;
      stomp) check_stomp "${entry#*=}" || failed=1 ;;
      stomp-tls) check_stomp "${entry#*=}" "$PEER_TLS_DIR_USED/server-cert.pem" || failed=1 ;;
      mqtt-wss | stomp-wss) check_wss "${entry%%-*}" "${entry#*=}" || failed=1 ;;
      *-wss-path) ;; # read by check_wss
      amqp | openwire) check_jms "${entry%%=*}" "${entry#*=}" || failed=1 ;;
      core) ;; # Artemis's own protocol, on the openwire port: no client for it here
    esac
  done
  [ $failed = 0 ] || die "$PEER_NAME: a check failed"
}

[ $# -ge 2 ] || usage
command=$1
case $command in
  start)
    [ $# = 3 ] || usage
    peer=$2
    mkdir -p "$3"
    work=$(cd "$3" && pwd)
    if [ -f "$work/peer.state" ]; then
      # shellcheck disable=SC1091
      . "$work/peer.state"
      group_alive "$PEER_PGID" && die "$PEER_NAME already runs in $work (process group $PEER_PGID); stop it first"
      rm -f "$work/peer.state"
    fi
    # 10,000 MQTT connections need more descriptors than the usual soft limit of 1024.
    ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    tls_init
    trap stop_started_on_failure EXIT
    started=$SECONDS
    case $peer in
      artemis | activemq | rabbitmq | mosquitto) "start_$peer" ;;
      *) die "unknown peer $peer (artemis, activemq, rabbitmq or mosquitto)" ;;
    esac
    log "$peer ready in $((SECONDS - started)) s; logs in $work"
    ;;
  stop | check)
    [ $# = 2 ] || usage
    [ -d "$2" ] || die "no such work dir: $2"
    work=$(cd "$2" && pwd)
    "${command}_peer"
    ;;
  *) usage ;;
esac
