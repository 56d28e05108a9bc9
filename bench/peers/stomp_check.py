"""One STOMP round trip through a peer broker (bench/peers/peer.sh check): connect without a login,
subscribe to a queue, send one persistent message with a receipt, and wait for the message.

Usage: /usr/bin/python3 stomp_check.py <port>   (Debian's python3-stomp, stomp.py 8)
"""
import os
import sys
import threading

import stomp


class Received(stomp.ConnectionListener):
    def __init__(self):
        self.bodies = []
        self.errors = []
        self.arrived = threading.Event()

    def on_message(self, frame):
        self.bodies.append(frame.body)
        self.arrived.set()

    def on_error(self, frame):
        self.errors.append(frame.body)
        self.arrived.set()


def main():
    port = int(sys.argv[1])
    destination = "/queue/peer-check-%d" % os.getpid()
    body = "stomp round trip %d" % os.getpid()
    connection = stomp.Connection12([("127.0.0.1", port)], heartbeats=(0, 0))
    listener = Received()
    connection.set_listener("check", listener)
    connection.connect(wait=True)
    connection.subscribe(destination, id="1", ack="auto", headers={"receipt": "subscribed"})
    connection.send(destination, body, headers={"persistent": "true"})
    listener.arrived.wait(20)
    connection.disconnect()
    if listener.bodies == [body]:
        print("ok stomp: persistent SEND and SUBSCRIBE on %s through 127.0.0.1:%d (stomp.py %s)"
              % (destination, port, ".".join(map(str, stomp.__version__))))
        return 0
    print("FAILED stomp on 127.0.0.1:%d: received %r, errors %r" % (port, listener.bodies, listener.errors))
    return 1


if __name__ == "__main__":
    sys.exit(main())
