// @stomp/stompjs over WebSocket, as in a browser: the WebSocket (from the ws package, since Node 20
// has none built in) offers v12.stomp, v11.stomp and v10.stomp; the client subscribes to a queue,
// sends to it with a receipt, waits for the message and disconnects. Prints one line per step;
// exits 0 when every step passed, 1 otherwise. Usage: node stomp-ws.mjs ws://127.0.0.1:<port>/stomp
import { Client } from '@stomp/stompjs';
import WebSocket from 'ws';

Object.assign(globalThis, { WebSocket });

const [url] = process.argv.slice(2);
const destination = '/queue/js.stomp';
const body = 'hello from stompjs';

const fail = (why) => {
  console.log(`FAIL ${why}`);
  process.exit(1);
};
setTimeout(() => fail('timed out'), 15000).unref();

const client = new Client({
  brokerURL: url,
  reconnectDelay: 0,
  heartbeatIncoming: 10000,
  heartbeatOutgoing: 10000,
  onStompError: (frame) => fail(`ERROR ${frame.headers.message}`),
  onWebSocketError: () => fail('websocket error'),
});
client.onConnect = (frame) => {
  console.log(`connected version ${frame.headers.version} subprotocol ${client.webSocket.protocol}`);
  client.subscribe(destination, (message) => {
    console.log(`received ${message.headers.destination} ${message.body}`);
    if (message.body !== body) {
      fail('unexpected body');
    }
    client.deactivate().then(() => {
      console.log('disconnected');
      process.exit(0);
    });
  });
  client.watchForReceipt('sent', () => console.log('receipt'));
  client.publish({ destination, body, headers: { receipt: 'sent' } });
};
client.activate();
