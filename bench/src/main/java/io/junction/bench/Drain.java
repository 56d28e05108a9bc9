package io.junction.bench;

import java.io.IOException;

/** Consumes a known number of messages from a destination (auto ack), over one STOMP connection. */
final class Drain {

    private Drain() {
    }

    static void receive(int port, String destination, long count) throws IOException {
        try (StompClient client = StompClient.connect(port)) {
            client.subscribe(destination, "drain", "auto");
            for (long i = 0; i < count; i++) {
                client.expect("MESSAGE");
            }
        }
    }
}
