// mqtt.js over WebSocket: connects to the URL given (subprotocol "mqtt"), subscribes, publishes
// at QoS 1, waits for its own message and disconnects. Prints one line per step; exits 0 when
// every step passed, 1 otherwise. Usage: node mqtt-ws.mjs ws://127.0.0.1:<port>/mqtt <3|5>
import mqtt from 'mqtt';

const [url, level = '4'] = process.argv.slice(2);
const protocolVersion = level === '5' ? 5 : 4;
const topic = `js/mqtt/v${protocolVersion}`;
const text = `hello from mqtt.js v${protocolVersion}`;

const fail = (why) => {
  console.log(`FAIL ${why}`);
  process.exit(1);
};
setTimeout(() => fail('timed out'), 15000).unref();

const client = mqtt.connect(url, { protocolVersion, clientId: `mqttjs-${protocolVersion}`, reconnectPeriod: 0 });
// Set once this script sends its DISCONNECT: the broker then closes the connection, as MQTT says
// it does, and a write mqtt.js still makes after that (seen with v5) fails with EPIPE, which is no
// fault of the exchange under test.
let ending = false;
client.on('error', (error) => {
  if (ending && /EPIPE|ECONNRESET/.test(error.message)) {
    return;
  }
  fail(`error ${error.message}`);
});
client.on('close', () => {
  if (ending) {
    console.log('disconnected');
    process.exit(0);
  }
});
client.on('connect', () => {
  console.log('connected');
  client.subscribe(topic, { qos: 1 }, (error) => {
    if (error) {
      fail(`subscribe ${error.message}`);
    }
    console.log('subscribed');
    client.publish(topic, text, { qos: 1 }, (error) => {
      if (error) {
        fail(`publish ${error.message}`);
      }
      console.log('published');
    });
  });
});
// Disconnect once the message is in and its PUBACK is out: mqtt.js may emit 'message' before it
// writes the PUBACK, and a DISCONNECT ahead of it makes the broker close the connection under it.
let received = false;
let acknowledged = false;
const endWhenDone = () => {
  if (received && acknowledged && !ending) {
    ending = true;
    client.end(false, {}, () => {
      console.log('disconnected');
      process.exit(0);
    });
  }
};
client.on('packetsend', (packet) => {
  if (packet.cmd === 'puback') {
    acknowledged = true;
    endWhenDone();
  }
});
client.on('message', (receivedTopic, payload) => {
  console.log(`received ${receivedTopic} ${payload.toString()}`);
  if (receivedTopic !== topic || payload.toString() !== text) {
    fail('unexpected message');
  }
  received = true;
  endWhenDone();
});
