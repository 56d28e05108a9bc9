"""One STOMP round trip through a peer broker (bench/peers/peer.sh check): connect without a login,
subscribe to a queue, send one persistent message, wait for it (messages that an earlier check left
behind are taken too) and acknowledge it.

Usage: /usr/bin/python3 stomp_check.py [--cafile <PEM>] <port> [<host header>]   (Debian's python3-stomp,
stomp.py 8). The host header defaults to 127.0.0.1; RabbitMQ takes it for the virtual host, so it
needs "/". With --cafile the connection is TLS, and the broker's certificate must be signed by (or
be) that certificate and name 127.0.0.1.
"""
import argparse
import os
import ssl
import sys
import threading
import time

import stomp


class Received(stomp.ConnectionListener):
    def __init__(self, connection, expected):
        super().__init__()
        self.connection = connection
        self.expected = expected
        self.bodies = []
        self.errors = []
        self.arrived = threading.Event()

    def on_message(self, frame):
        self.bodies.append(frame.body)
        self.connection.ack(frame.headers["ack"])
        if frame.body == self.expected:
            self.arrived.set()

    def on_error(self, frame):
        self.errors.append(frame.body)
        self.arrived.set()


def main():
    arguments = argparse.ArgumentParser(description="One STOMP round trip through a peer broker.")
    arguments.add_argument("--cafile", help="connect over TLS, trusting this PEM certificate")
    arguments.add_argument("port", type=int)
    arguments.add_argument("host", nargs="?", default="127.0.0.1", help="the CONNECT frame's host header")
    options = arguments.parse_args()
    port, host = options.port, options.host
    transport = " over TLS" if options.cafile else ""
    destination = "/queue/peer-check-stomp"
    body = "stomp round trip %d %d" % (os.getpid(), time.time_ns())
    connection = stomp.Connection12([("127.0.0.1", port)], heartbeats=(0, 0), vhost=host)
    if options.cafile:
        # PROTOCOL_TLS_CLIENT checks the certificate's chain and its name (127.0.0.1) alike.
        connection.set_ssl(for_hosts=[("127.0.0.1", port)], ca_certs=options.cafile,
                           ssl_version=ssl.PROTOCOL_TLS_CLIENT)
    listener = Received(connection, body)
    connection.set_listener("check", listener)
    connection.connect(wait=True)
    connection.subscribe(destination, id="1", ack="client-individual", headers={"receipt": "subscribed"})
    connection.send(destination, body, headers={"persistent": "true"})
    listener.arrived.wait(20)
    connection.disconnect()  # waits for the broker's receipt, so the ACK has arrived
    if body in listener.bodies:
        print("ok stomp%s: persistent SEND and SUBSCRIBE on %s through 127.0.0.1:%d%s (stomp.py %s)"
              % ("-tls" if options.cafile else "", destination, port, transport, ".".join(map(str, stomp.__version__))))
        return 0
    print("FAILED stomp%s on 127.0.0.1:%d: received %r, errors %r"
          % ("-tls" if options.cafile else "", port, listener.bodies, listener.errors))
    return 1


if __name__ == "__main__":
    sys.exit(main())
