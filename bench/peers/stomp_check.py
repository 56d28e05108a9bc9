"""One STOMP round trip through a peer broker (bench/peers/peer.sh check): connect without a login,
subscribe to a queue, send one persistent message, wait for it (messages that an earlier check left
behind are taken too) and acknowledge it.

Usage: /usr/bin/python3 stomp_check.py <port> [<host header>]   (Debian's python3-stomp, stomp.py 8)
The host header defaults to 127.0.0.1; RabbitMQ takes it for the virtual host, so it needs "/".
"""
import os
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
    port = int(sys.argv[1])
    host = sys.argv[2] if len(sys.argv) > 2 else "127.0.0.1"
    destination = "/queue/peer-check-stomp"
    body = "stomp round trip %d %d" % (os.getpid(), time.time_ns())
    connection = stomp.Connection12([("127.0.0.1", port)], heartbeats=(0, 0), vhost=host)
    listener = Received(connection, body)
    connection.set_listener("check", listener)
    connection.connect(wait=True)
    connection.subscribe(destination, id="1", ack="client-individual", headers={"receipt": "subscribed"})
    connection.send(destination, body, headers={"persistent": "true"})
    listener.arrived.wait(20)
    connection.disconnect()  # waits for the broker's receipt, so the ACK has arrived
    if body in listener.bodies:
        print("ok stomp: persistent SEND and SUBSCRIBE on %s through 127.0.0.1:%d (stomp.py %s)"
              % (destination, port, ".".join(map(str, stomp.__version__))))
        return 0
    print("FAILED stomp on 127.0.0.1:%d: received %r, errors %r" % (port, listener.bodies, listener.errors))
    return 1


if __name__ == "__main__":
    sys.exit(main())
