package io.junction.bench.loadgen;

import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;

import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The session handler of one STOMP connection of a run: keeps the first thing that went wrong on
 * it (an ERROR frame from the broker, a transport failure, an exception in a frame handler), which
 * ends the run. The library calls it on the connection's I/O thread.
 */
final class StompSessionWatch extends StompSessionHandlerAdapter {

    private final String role;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    StompSessionWatch(String role) {
        this.role = role;
    }

    @Override
    public Type getPayloadType(StompHeaders headers) {
        return byte[].class; // an ERROR frame's body, given as is by the ByteArrayMessageConverter
    }

    @Override
    public void handleFrame(StompHeaders headers, Object payload) {
        String body = payload instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8).strip() : "";
        failure.compareAndSet(null, new IOException("ERROR to the " + role + ": " + headers.getFirst("message")
                + (body.isEmpty() ? "" : " (" + body + ")")));
    }

    @Override
    public void handleException(StompSession session, StompCommand command, StompHeaders headers, byte[] payload,
                                Throwable exception) {
        failure.compareAndSet(null, new IOException("the " + role + " failed on a " + command + " frame", exception));
    }

    @Override
    public void handleTransportError(StompSession session, Throwable exception) {
        failure.compareAndSet(null, new IOException("the " + role + "'s connection failed", exception));
    }

    /** Throws what went wrong on this connection, if anything did. */
    void check() throws IOException {
        Throwable failed = failure.get();
        if (failed != null) {
            throw failed instanceof IOException io ? io : new IOException(failed);
        }
    }
}
