package io.junction.interop.ws;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client on the JDK's {@link java.net.http.WebSocket}: collects the bytes of every data
 * frame the broker sends (binary or text) as one stream, and the close code, for tests.
 */
final class WsClient implements WebSocket.Listener {

    private final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final StringBuilder pending = new StringBuilder();
    private final LinkedBlockingQueue<String> pongs = new LinkedBlockingQueue<>();
    private WebSocket socket;

    /** Connects to {@code ws://127.0.0.1:<port>/<path>} offering {@code subprotocols} (none if empty). */
    static WsClient connect(int port, String path, String... subprotocols) {
        return connect(HttpClient.newHttpClient(), URI.create("ws://127.0.0.1:" + port + path), subprotocols);
    }

    /**
     * Connects to {@code uri} ({@code ws://} or {@code wss://}) with {@code http}, whose SSL context
     * decides which certificates a {@code wss://} connection trusts.
     */
    static WsClient connect(HttpClient http, URI uri, String... subprotocols) {
        WsClient client = new WsClient();
        WebSocket.Builder builder = http.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5));
        if (subprotocols.length > 0) {
            String[] more = java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length);
            builder.subprotocols(subprotocols[0], more);
        }
        client.socket = builder.buildAsync(uri, client)
                .orTimeout(10, TimeUnit.SECONDS).join();
        return client;
    }

    WebSocket socket() {
        return socket;
    }

    void sendText(String text) {
        socket.sendText(text, true).orTimeout(5, TimeUnit.SECONDS).join();
    }

    /** Sends {@code text} as a fragmented message: one text frame and continuation frames of {@code size}. */
    void sendTextFragments(String text, int size) {
        for (int start = 0; start < text.length(); start += size) {
            int end = Math.min(text.length(), start + size);
            socket.sendText(text.substring(start, end), end == text.length()).orTimeout(5, TimeUnit.SECONDS).join();
        }
    }

    void sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).orTimeout(5, TimeUnit.SECONDS).join();
    }

    /**
     * Waits until the bytes received so far contain {@code marker} and returns everything up to and
     * including it, leaving the rest for the next call.
     */
    String readUntil(String marker, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending.indexOf(marker) < 0) {
            long left = deadline - System.nanoTime();
            String chunk = left > 0 ? received.poll(left, TimeUnit.NANOSECONDS) : null;
            if (chunk == null) {
                throw new AssertionError("no '" + marker.replace("\0", "\\0") + "' within " + timeout
                        + "; received: " + pending);
            }
            pending.append(chunk);
        }
        int end = pending.indexOf(marker) + marker.length();
        String frame = pending.substring(0, end);
        pending.delete(0, end);
        return frame;
    }

    /** The close code the broker sent, waiting for it at most {@code timeout}. */
    int closeCode(Duration timeout) {
        return closeCode.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        received.add(data.toString());
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        received.add(StandardCharsets.UTF_8.decode(data).toString());
        webSocket.request(1);
        return null;
    }

    /** Sends a ping with {@code payload} and waits for the pong's payload. */
    String ping(String payload, Duration timeout) throws InterruptedException {
        socket.sendPing(ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8))).orTimeout(5, TimeUnit.SECONDS).join();
        return pongs.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        pongs.add(StandardCharsets.UTF_8.decode(message).toString());
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeCode.completeExceptionally(error);
    }
}
