"""Drives one STOMP connection made with stomp.py, scripted by a test.

Usage: /usr/bin/python3 stomp_driver.py HOST PORT [CA_FILE]

With CA_FILE (PEM), the connection uses TLS (stomp.py's set_ssl) and trusts the certificates in it.

Reads one JSON command per line on stdin and writes one JSON event per line on stdout.

Commands (every one may carry "seq", echoed in its outcome; "headers" is an object of strings;
"receipt" names a receipt to ask for):
  {"op":"connect","version":"1.0|1.1|1.2","headers":{},"heartbeats":[cx,cy],"command":"CONNECT|STOMP"}
  {"op":"send","destination":"/queue/a","body":"text"|"body_b64":"...","headers":{},"transaction":"t"}
  {"op":"subscribe","destination":"/queue/a","id":"1","ack":"auto","headers":{}}
  {"op":"unsubscribe","id":"1","destination":"/queue/a (1.0 only)","headers":{}}
  {"op":"ack"|"nack","id":"ack or message-id","subscription":"1 (1.1 only)","transaction":"t"}
  {"op":"begin"|"commit"|"abort","transaction":"t"}
  {"op":"disconnect"}            DISCONNECT; the client closes the socket on its receipt
  {"op":"close"}                 closes the socket without a DISCONNECT frame

Events: after each command {"event":"ok","op":..,"seq":..} or {"event":"failed","op":..,"seq":..,
"error":..}; and as frames arrive {"event":"connected"|"message"|"receipt"|"error","headers":{},
"body_b64":".."}, {"event":"heartbeat"}, {"event":"heartbeat_timeout"}, {"event":"disconnected"}.
Bodies are base64 so that any bytes survive.
"""

import base64
import json
import sys
import threading

import stomp

CONNECTION_CLASSES = {"1.0": stomp.Connection10, "1.1": stomp.Connection11, "1.2": stomp.Connection12}

_output_lock = threading.Lock()


def emit(event, **fields):
    fields["event"] = event
    line = json.dumps(fields, ensure_ascii=True)
    with _output_lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def emit_frame(event, frame):
    body = frame.body if isinstance(frame.body, bytes) else (frame.body or "").encode("utf-8")
    emit(event, headers=dict(frame.headers), body_b64=base64.b64encode(body).decode("ascii"))


class EventListener(stomp.ConnectionListener):
    """Reports every frame and connection event of stomp.py as an event line."""

    def on_connected(self, frame):
        emit_frame("connected", frame)

    def on_message(self, frame):
        emit_frame("message", frame)

    def on_receipt(self, frame):
        emit_frame("receipt", frame)

    def on_error(self, frame):
        emit_frame("error", frame)

    def on_heartbeat(self):
        emit("heartbeat")

    def on_heartbeat_timeout(self):
        emit("heartbeat_timeout")

    def on_disconnected(self):
        emit("disconnected")


class Driver:
    def __init__(self, host, port, ca_certs=None):
        self.host_and_port = (host, port)
        self.ca_certs = ca_certs
        self.connection = None
        self.version = None

    def headers(self, command):
        headers = dict(command.get("headers") or {})
        if command.get("receipt"):
            headers["receipt"] = command["receipt"]
        return headers

    def op_connect(self, command):
        self.version = command.get("version", "1.2")
        options = {"reconnect_attempts_max": 1, "auto_decode": False}
        if self.version != "1.0":
            options["heartbeats"] = tuple(command.get("heartbeats", [0, 0]))
        self.connection = CONNECTION_CLASSES[self.version]([self.host_and_port], **options)
        if self.ca_certs:
            self.connection.set_ssl(for_hosts=[self.host_and_port], ca_certs=self.ca_certs)
        self.connection.set_listener("driver", EventListener())
        extra = {}
        if self.version != "1.0" and command.get("command") == "CONNECT":
            extra["with_connect_command"] = True
        self.connection.connect(headers=self.headers(command), wait=False, **extra)

    def op_send(self, command):
        if "body_b64" in command:
            body = base64.b64decode(command["body_b64"])
        else:
            body = command.get("body", "")
        headers = self.headers(command)
        if command.get("transaction"):
            headers["transaction"] = command["transaction"]
        self.connection.send(command["destination"], body, headers=headers)

    def op_subscribe(self, command):
        self.connection.subscribe(command["destination"], command.get("id"), command.get("ack", "auto"),
                                  headers=self.headers(command))

    def op_unsubscribe(self, command):
        if self.version == "1.0":
            self.connection.unsubscribe(destination=command.get("destination"), id=command.get("id"),
                                        headers=self.headers(command))
        else:
            self.connection.unsubscribe(id=command["id"], headers=self.headers(command))

    def op_ack(self, command):
        self.acknowledge(self.connection.ack, command)

    def op_nack(self, command):
        self.acknowledge(self.connection.nack, command)

    def acknowledge(self, method, command):
        arguments = {"transaction": command.get("transaction"), "receipt": command.get("receipt")}
        if self.version == "1.1":
            arguments["subscription"] = command["subscription"]
        method(command["id"], **arguments)

    def op_begin(self, command):
        self.connection.begin(command["transaction"], headers=self.headers(command))

    def op_commit(self, command):
        self.connection.commit(command["transaction"], headers=self.headers(command))

    def op_abort(self, command):
        self.connection.abort(command["transaction"], headers=self.headers(command))

    def op_disconnect(self, command):
        # stomp.py always asks for a receipt (its own id when none is given) and closes the socket
        # when the receipt arrives; with a given id it also waits for that here.
        self.connection.disconnect(receipt=command.get("receipt"), headers=command.get("headers"))

    def op_close(self, command):
        self.connection.transport.disconnect_socket()

    def run(self, lines):
        for line in lines:
            if not line.strip():
                continue
            command, op = {}, None
            try:
                command = json.loads(line)
                op = command.get("op")
                handler = getattr(self, "op_" + str(op), None)
                if handler is None:
                    raise ValueError("unknown op %r" % op)
                handler(command)
                emit("ok", op=op, seq=command.get("seq"))
            except Exception as e:  # reported to the test, which decides
                emit("failed", op=op, seq=command.get("seq"), error="%s: %s" % (type(e).__name__, e))


if __name__ == "__main__":
    Driver(sys.argv[1], int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else None).run(sys.stdin)
