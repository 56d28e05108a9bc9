package io.junction.bench;

import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;

/**
 * Fills a broker with persistent 1 KB messages as fast as it takes them, over one STOMP
 * connection: every {@value #BATCH}th send asks for a receipt, at most {@value #WINDOW} such
 * receipts are outstanding, and the last send's receipt means every message is stored.
 */
final class PipelinedSender {

    static final int BATCH = 1000;
    static final int WINDOW = 4;

    private PipelinedSender() {
    }

    /** Sends {@code count} messages; message {@code i} goes to {@code destinationOf.apply(i)}. */
    static void send(int port, long count, LongFunction<String> destinationOf) throws IOException, InterruptedException {
        try (StompClient client = StompClient.connect(port)) {
            long receipts = (count + BATCH - 1) / BATCH;
            Semaphore window = new Semaphore(WINDOW);
            AtomicReference<IOException> failure = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try {
                    for (long r = 0; r < receipts; r++) {
                        client.expect("RECEIPT");
                        window.release();
                    }
                } catch (IOException e) {
                    failure.set(e);
                    window.release(WINDOW);
                }
            }, "bench-receipts");
            reader.setDaemon(true); // ended by the socket's close if this thread gives up
            reader.start();
            for (long i = 0; i < count && failure.get() == null; i++) {
                boolean receipted = (i + 1) % BATCH == 0 || i + 1 == count;
                if (receipted && !window.tryAcquire(60, TimeUnit.SECONDS)) {
                    throw new IOException("no receipt from the broker for 60 s");
                }
                client.send(destinationOf.apply(i), SendLoad.BODY, receipted ? Long.toString(i) : null);
                if (receipted) {
                    client.flush();
                }
            }
            reader.join();
            if (failure.get() != null) {
                throw new IOException("pipelined send failed", failure.get());
            }
        }
    }
}
