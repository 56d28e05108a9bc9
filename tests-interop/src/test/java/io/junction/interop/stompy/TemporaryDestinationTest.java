package io.junction.interop.stompy;

import io.junction.interop.support.EmbeddedBroker;
import io.junction.core.broker.Broker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code /temp-queue/} and {@code /temp-topic/}: request-reply between two clients. */
class TemporaryDestinationTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    @Test
    void requestReplyThroughATemporaryQueue() {
        try (StompPy requester = StompPy.connect(broker.stompPort(), "1.2");
             StompPy service = StompPy.connect(broker.stompPort(), "1.2")) {
            service.subscribe("/queue/quotes", "1");
            requester.subscribe("/temp-queue/replies", "replies");

            requester.send("/queue/quotes", "price of ACME?",
                    Map.of("reply-to", "/temp-queue/replies", "correlation-id", "q-1"));

            StompEvent request = service.awaitMessage();
            String replyTo = request.header("reply-to");
            assertThat(replyTo).startsWith("/remote-temp-queue/");
            service.send(replyTo, "42.00", Map.of("correlation-id", request.header("correlation-id")));

            StompEvent reply = requester.awaitMessage();
            assertThat(reply.body()).isEqualTo("42.00");
            assertThat(reply.header("correlation-id")).isEqualTo("q-1");
            assertThat(reply.header("destination")).isEqualTo("/temp-queue/replies");
        }
    }

    @Test
    void temporaryQueueIsDeletedWithItsConnection() {
        try (StompPy owner = StompPy.connect(broker.stompPort(), "1.2")) {
            owner.subscribe("/temp-queue/mine", "1");
            assertThat(temporaryQueueCount()).isEqualTo(1);
            owner.disconnect();
        }
        await().untilAsserted(() -> assertThat(temporaryQueueCount()).isZero());
    }

    @Test
    void temporaryTopicReachesItsSubscriber() {
        try (StompPy owner = StompPy.connect(broker.stompPort(), "1.2");
             StompPy other = StompPy.connect(broker.stompPort(), "1.2")) {
            owner.subscribe("/temp-topic/events", "1");
            owner.send("/queue/announce", "listen here", Map.of("reply-to", "/temp-topic/events"));
            other.subscribe("/queue/announce", "1");

            String address = other.awaitMessage().header("reply-to");
            assertThat(address).startsWith("/remote-temp-topic/");
            other.send(address, "event 1");

            assertThat(owner.awaitMessage().body()).isEqualTo("event 1");
        }
    }

    private long temporaryQueueCount() {
        Broker core = broker.broker();
        return core.queues().stream().filter(q -> q.name().endsWith(".mine")).count();
    }
}
