package io.junction.bench.peer;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One STOMP round trip over WebSocket over TLS through a peer broker, for {@code bench/peers/peer.sh
 * check}, with the JDK's WebSocket client (no STOMP client library here speaks WebSocket): the same
 * frames as {@code stomp_check.py} sends over TCP. CONNECT without a login, SUBSCRIBE to
 * {@code /queue/peer-check-stomp-wss} with {@code client-individual} acks and a receipt, SEND one
 * persistent message, wait for it (messages that an earlier check left behind are taken too) and ACK
 * it with a receipt, DISCONNECT. The broker's certificate must be the one in the trust store and name
 * 127.0.0.1. Prints one {@code ok ...} line, or {@code FAILED ...} and exits 1.
 *
 * <p>Arguments: the port on 127.0.0.1, the WebSocket path, the {@code trust.p12} of
 * {@code bench/peers/tls.sh}, the CONNECT frame's host header (RabbitMQ takes it for the virtual
 * host, so it needs {@code /}).
 */
public final class StompWssCheck {

    private static final String DESTINATION = "/queue/peer-check-stomp-wss";
    private static final long TIMEOUT_MS = 20_000;
    /** The command of the pseudo frame that stands for the broker's close of the WebSocket. */
    private static final String CLOSED = "(WebSocket closed by the broker)";

    private StompWssCheck() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: StompWssCheck <port> <websocket path> <trust.p12> <host header>");
        }
        URI uri = URI.create("wss://127.0.0.1:" + Integer.parseInt(args[0]) + args[1]);
        String body = "stomp wss round trip " + System.nanoTime();
        HttpClient http = HttpClient.newBuilder().sslContext(TrustStore.sslContext(Path.of(args[2]))).build();
        Frames frames = new Frames();
        WebSocket socket = http.newWebSocketBuilder()
                .subprotocols("v12.stomp", "v11.stomp")
                .connectTimeout(Duration.ofMillis(TIMEOUT_MS))
                .buildAsync(uri, frames).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        String failure;
        try {
            failure = roundTrip(socket, frames, args[3], body);
        } finally {
            close(socket);
        }
        if (failure == null) {
            System.out.println("ok stomp-wss: persistent SEND and SUBSCRIBE on " + DESTINATION + " through " + uri
                    + " (JDK WebSocket client, subprotocol " + socket.getSubprotocol() + ")");
            return;
        }
        System.out.println("FAILED stomp-wss on " + uri + ": " + failure);
        System.exit(1);
    }

    /** The conversation; returns null when the message came back, else what went wrong. */
    private static String roundTrip(WebSocket socket, Frames frames, String host, String body) throws Exception {
        send(socket, "CONNECT", headers("accept-version", "1.2", "host", host, "heart-beat", "0,0"), "");
        Frame connected = frames.next();
        if (!connected.is("CONNECTED")) {
            return "CONNECT answered by " + connected;
        }
        send(socket, "SUBSCRIBE", headers("id", "1", "destination", DESTINATION, "ack", "client-individual",
                "receipt", "subscribed"), "");
        Frame subscribed = frames.next();
        if (!subscribed.is("RECEIPT")) {
            return "SUBSCRIBE answered by " + subscribed;
        }
        send(socket, "SEND", headers("destination", DESTINATION, "persistent", "true",
                "content-type", "text/plain"), body);
        // The ACK of our message asks for a receipt: once it is in, the broker has the ACK (RabbitMQ
        // closes the WebSocket on a DISCONNECT without sending the receipt that the DISCONNECT asks for).
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        boolean acked = false;
        while (!acked && System.currentTimeMillis() < deadline) {
            Frame frame = frames.next();
            if (frame.is("MESSAGE")) {
                boolean ours = body.equals(frame.body());
                send(socket, "ACK", ours ? headers("id", frame.headers().get("ack"), "receipt", "acked")
                        : headers("id", frame.headers().get("ack")), "");
            } else if (frame.is("RECEIPT") && "acked".equals(frame.headers().get("receipt-id"))) {
                acked = true;
            } else {
                return "expected a MESSAGE or the ACK's RECEIPT, got " + frame;
            }
        }
        send(socket, "DISCONNECT", headers("receipt", "bye"), "");
        Frame bye = frames.next();
        if (!bye.is("RECEIPT") && !bye.is(CLOSED)) {
            return "DISCONNECT answered by " + bye;
        }
        return acked ? null : "the message did not come back within " + TIMEOUT_MS + " ms";
    }

    /** A close handshake, unless the broker has closed first (RabbitMQ does once it sent the DISCONNECT's receipt). */
    private static void close(WebSocket socket) throws Exception {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException closedAlready) {
            socket.abort();
        }
    }

    private static Map<String, String> headers(String... namesAndValues) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

    /** One STOMP frame per WebSocket text message, as the STOMP-over-WebSocket brokers expect. */
    private static void send(WebSocket socket, String command, Map<String, String> headers, String body)
            throws Exception {
        StringBuilder frame = new StringBuilder(command).append('\n');
        headers.forEach((name, value) -> frame.append(name).append(':').append(value).append('\n'));
        if (!body.isEmpty()) {
            frame.append("content-length:").append(body.getBytes(StandardCharsets.UTF_8).length).append('\n');
        }
        frame.append('\n').append(body).append('\0');
        socket.sendText(frame, true).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    private record Frame(String command, Map<String, String> headers, String body) {

        boolean is(String expected) {
            return expected.equals(command);
        }

        /** A frame as text: command, headers, blank line, body (without its NUL). */
        static Frame parse(String text) {
            int headersEnd = text.indexOf("\n\n");
            String head = headersEnd < 0 ? text : text.substring(0, headersEnd);
            String[] lines = head.split("\r?\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.putIfAbsent(lines[i].substring(0, colon), lines[i].substring(colon + 1)); // first one wins
                }
            }
            return new Frame(lines[0], headers, headersEnd < 0 ? "" : text.substring(headersEnd + 2));
        }
    }

    /**
     * The broker's frames, whether it sends them as text or as binary WebSocket messages (Artemis
     * sends binary ones by default), split at their NUL octets; the end-of-line octets that brokers
     * may put between frames are dropped.
     */
    private static final class Frames implements WebSocket.Listener {

        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private final BlockingQueue<Frame> received = new LinkedBlockingQueue<>();

        Frame next() throws InterruptedException {
            Frame frame = received.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return frame != null ? frame : new Frame("(nothing within " + TIMEOUT_MS + " ms)", Map.of(), "");
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            take(ByteBuffer.wrap(data.toString().getBytes(StandardCharsets.UTF_8)));
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
            take(data);
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
            received.add(new Frame(CLOSED, Map.of(), code + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            received.add(new Frame("(WebSocket error: " + error + ")", Map.of(), ""));
        }

        private void take(ByteBuffer data) {
            while (data.hasRemaining()) {
                byte b = data.get();
                if (b != 0) {
                    if (pending.size() > 0 || (b != '\n' && b != '\r')) {
                        pending.write(b);
                    }
                    continue;
                }
                received.add(Frame.parse(pending.toString(StandardCharsets.UTF_8)));
                pending.reset();
            }
        }
    }
}
