#!/usr/bin/env bash
# The TLS material of the benchmark's tls and wss listeners, for Junction and every peer alike:
# one self-signed EC P-256 certificate for localhost and 127.0.0.1, valid 2 days, in the forms the
# brokers and clients read.
#
#   bench/peers/tls.sh <dir>
#
# writes into <dir> (created if missing):
#   server-key.pem, server-cert.pem   the key and certificate (RabbitMQ; peer.sh gives Mosquitto a copy
#                                     its own user can read)
#   server.p12                        both, PKCS12 (Junction, Artemis, ActiveMQ)
#   trust.p12                         the certificate alone as a trusted entry, PKCS12 (the clients)
# Both PKCS12 files have the password "loadgen" (a throwaway certificate on loopback only).
# Prints the directory on stdout; openssl's and keytool's output goes to stderr.
set -euo pipefail
[ $# = 1 ] || { echo "usage: bench/peers/tls.sh <dir>" >&2; exit 2; }
dir=$1
password=loadgen
mkdir -p "$dir"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$dir/server-key.pem" -out "$dir/server-cert.pem" >&2 2>&1
# RabbitMQ runs as this user and reads the key directly.
chmod 600 "$dir/server-key.pem"
openssl pkcs12 -export -name broker -inkey "$dir/server-key.pem" -in "$dir/server-cert.pem" \
  -out "$dir/server.p12" -passout "pass:$password" >&2
rm -f "$dir/trust.p12"
"$(dirname "$(readlink -f "$(command -v java)")")/keytool" -importcert -noprompt -alias broker \
  -file "$dir/server-cert.pem" -keystore "$dir/trust.p12" -storetype PKCS12 -storepass "$password" >&2
echo "$dir"
