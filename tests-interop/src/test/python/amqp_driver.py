"""Drives one AMQP 1.0 connection made with python-qpid-proton (Debian's python3-qpid-proton),
scripted by a test: a second, non-JMS AMQP client, whose links carry no queue/topic capability.

Usage: /usr/bin/python3 amqp_driver.py URL

Reads one JSON command per line on stdin and writes one JSON event per line on stdout. Every
command is answered by exactly one event, {"event":"ok",...} or {"event":"failed","error":..},
carrying the command's "seq". Commands run one at a time on proton's blocking API.

Commands ("settle" is "at-least-once" (default, unsettled) or "at-most-once" (pre-settled)):
  {"op":"sender","link":"s1","address":"orders","settle":".."}
      -> ok with "remote_address" (the target the broker attached)
  {"op":"send","link":"s1","body":"text" | "body_b64":"..","properties":{"k":"v"},
   "int_properties":{"k":3},"durable":true,"subject":".."}
      -> ok with "remote_state" (ACCEPTED, REJECTED, ...; null when pre-settled) once settled
  {"op":"receiver","link":"r1","address":"topic://a.b","settle":"..","credit":1}
      -> ok with "remote_address"
  {"op":"receive","link":"r1","timeout":5,"outcome":"accept|reject|release|none"}
      -> ok with "message": {"body":..,"body_type":"str|bytes|..","body_b64":..,"properties":{},
         "property_types":{},"durable":..,"subject":..,"address":..,"delivery_count":..},
         "presettled": whether the broker sent the delivery settled; "failed" on timeout
  {"op":"close_link","link":"r1"}
  {"op":"close"}   closes the connection; the driver then exits
"""

import base64
import json
import sys
import traceback

from proton import Message, int32
from proton.reactor import AtLeastOnce, AtMostOnce
from proton.utils import BlockingConnection


def emit(event, **fields):
    fields["event"] = event
    sys.stdout.write(json.dumps(fields, ensure_ascii=True) + "\n")
    sys.stdout.flush()


def settle_option(command):
    return AtMostOnce() if command.get("settle") == "at-most-once" else AtLeastOnce()


def describe_value(value):
    """A JSON-friendly form of an AMQP value and the name of its Python/proton type."""
    type_name = type(value).__name__
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii"), "bytes"
    if value is None or isinstance(value, (bool, int, float, str)):
        return value, type_name
    return str(value), type_name


class Driver:
    def __init__(self, url):
        self.url = url
        self.connection = None
        self.links = {}

    def connection_or_open(self):
        if self.connection is None:
            self.connection = BlockingConnection(self.url, timeout=10)
        return self.connection

    def op_connect(self, command):
        self.connection_or_open()
        return {}

    def op_sender(self, command):
        sender = self.connection_or_open().create_sender(command["address"], name=command.get("link"),
                                                         options=settle_option(command))
        self.links[command["link"]] = sender
        return {"remote_address": sender.link.remote_target.address}

    def op_send(self, command):
        sender = self.links[command["link"]]
        if "body_b64" in command:
            body = base64.b64decode(command["body_b64"])
        else:
            body = command.get("body")
        properties = dict(command.get("properties", {}))
        for name, value in command.get("int_properties", {}).items():
            properties[name] = int32(value)
        message = Message(body=body, properties=properties or None, durable=command.get("durable", False))
        if "subject" in command:
            message.subject = command["subject"]
        delivery = sender.send(message, timeout=command.get("timeout", 10))
        state = delivery.remote_state
        return {"remote_state": str(state) if state else None}

    def op_receiver(self, command):
        receiver = self.connection_or_open().create_receiver(command["address"], credit=command.get("credit", 1),
                                                             name=command.get("link"),
                                                             options=settle_option(command))
        self.links[command["link"]] = receiver
        return {"remote_address": receiver.link.remote_source.address}

    def op_receive(self, command):
        receiver = self.links[command["link"]]
        unsettled_before = len(receiver.fetcher.unsettled)
        message = receiver.receive(timeout=command.get("timeout", 5))
        presettled = len(receiver.fetcher.unsettled) == unsettled_before
        outcome = command.get("outcome", "accept")
        if not presettled:
            if outcome == "accept":
                receiver.accept()
            elif outcome == "reject":
                receiver.reject()
            elif outcome == "release":
                receiver.release(delivered=False)
        return {"presettled": presettled, "message": self.describe(message)}

    @staticmethod
    def describe(message):
        body, body_type = describe_value(message.body)
        properties = {}
        property_types = {}
        for name, value in (message.properties or {}).items():
            properties[str(name)], property_types[str(name)] = describe_value(value)
        return {"body": body, "body_type": body_type, "properties": properties, "property_types": property_types,
                "durable": bool(message.durable), "subject": message.subject, "address": message.address,
                "delivery_count": message.delivery_count}

    def op_close_link(self, command):
        self.links.pop(command["link"]).close()
        return {}

    def op_close(self, command):
        if self.connection is not None:
            self.connection.close()
            self.connection = None
        return {}


def main():
    driver = Driver(sys.argv[1])
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        command = json.loads(line)
        op = command.get("op")
        try:
            result = getattr(driver, "op_" + op)(command)
            emit("ok", op=op, seq=command.get("seq"), **result)
        except Exception as e:  # reported to the test, which decides
            emit("failed", op=op, seq=command.get("seq"), error="%s: %s" % (type(e).__name__, e),
                 trace=traceback.format_exc(limit=3))
        if op == "close":
            break


if __name__ == "__main__":
    main()
