#!/usr/bin/env bash
# MQTT over plain TCP, TLS and WebSocket over TLS in the same run (issue 7): bench/mqtt.sh with one
# Junction that has four MQTT listeners (tcp; tls with provider jdk; tls with provider openssl; wss;
# a self-signed key store made in the temp directory and deleted with it), QoS 0 fan-in over each
# in turn with the same client, then connections opened and closed in a loop (a full TLS handshake
# each) over each. Extra arguments go to io.junction.bench.mqtt.MqttBench, e.g. --seconds=3
# --repetitions=3 --publishers=10, or --scenarios=handshake for the second part alone.
# MQTT_BENCH_PIN=1 pins the broker to CPU 0 and the load generator to CPU 1.
# See bench/README.md, section "MQTT over TLS and WebSocket".
set -euo pipefail
MQTT_BENCH_BROKERS=junction-transports exec "$(dirname "$0")/mqtt.sh" --scenarios=fan-in,handshake "$@"
