package io.junction.interop.raw;

import java.io.IOException;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What a polite client does, used to show the broker still serves one after abuse from others. */
public final class WellBehavedClient {

    private WellBehavedClient() {
    }

    /** Connects, subscribes, sends one message to itself and receives it. */
    public static void assertRoundTrip(int port) throws IOException {
        String queue = "/queue/health." + UUID.randomUUID();
        try (RawStompClient client = RawStompClient.connected(port, "1.2")) {
            client.write(RawStompClient.frame("SUBSCRIBE", "id:health", "destination:" + queue, "receipt:subscribed"));
            assertThat(client.readFrame().header("receipt-id")).isEqualTo("subscribed");
            client.write(RawStompClient.frameWithBody("SEND", "still serving", "destination:" + queue));
            RawFrame message = client.readFrame();
            assertThat(message.command()).as("reply to a well-behaved client: %s", message).isEqualTo("MESSAGE");
            assertThat(message.bodyText()).isEqualTo("still serving");
            client.write(RawStompClient.frame("DISCONNECT", "receipt:bye"));
            assertThat(client.readFrame().header("receipt-id")).isEqualTo("bye");
        }
    }
}
