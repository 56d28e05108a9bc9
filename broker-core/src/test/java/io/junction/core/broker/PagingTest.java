package io.junction.core.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.core.config.DestinationsConfig;
import io.junction.core.config.DiskFullPolicy;
import io.junction.core.config.FullPolicy;
import io.junction.core.model.Destination;
import io.junction.core.spi.BrokerConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Destinations past their own or the broker-wide memory limit page to disk and read back in order. */
class PagingTest extends BrokerTestSupport {

    private static final long QUEUE_LIMIT = 64 * 1024;
    private static final long BROKER_LIMIT = 256 * 1024;
    private static final int MESSAGES = 2000;
    /** Message bodies are about 1 KB: with the 256-byte allowance per message, 1.25 KB each in memory. */
    private static final String KILOBYTE = "x".repeat(1024);

    /** {@code paged.>} has a 64 KB limit; everything else the default 32 MB, far above the broker's 256 KB. */
    private static final Destination PAGED = queue("paged.orders");
    private static final Destination UNLIMITED = queue("bulk.orders");
    private static final Destination OTHER = queue("other.orders");

    private BrokerConnection connection;

    @Override
    DestinationsConfig config() {
        return withPolicies(policy("paged.>", memoryLimit(QUEUE_LIMIT, FullPolicy.PAGE)));
    }

    @Override
    Limits limits() {
        return new Limits(BROKER_LIMIT, 0, DiskFullPolicy.BLOCK, pagingDirectory());
    }

    @BeforeEach
    void connectClient() throws Exception {
        connection = connect();
    }

    @Test
    void queueOverItsLimitPagesAndDeliversEverythingInOrder() throws Exception {
        sendNumbered(PAGED, MESSAGES);
        settle();

        assertThat(pageFiles()).isNotEmpty();
        assertThat(broker.memoryUsed()).isLessThanOrEqualTo(2 * QUEUE_LIMIT + KILOBYTE.length());
        assertThat(queueInfo("paged.orders").depth()).isEqualTo(MESSAGES);

        RecordingConsumer consumer = subscribe(connection, PAGED);

        assertThat(receiveAcknowledging(consumer, MESSAGES)).containsExactly(numbered(MESSAGES));
        settle();
        assertThat(pagingDirectory()).isEmptyDirectory();
    }

    @Test
    void brokerWideLimitPagesAQueueUnderItsOwnLimit() throws Exception {
        sendNumbered(UNLIMITED, MESSAGES);
        settle();

        assertThat(pageFiles()).isNotEmpty();
        assertThat(broker.memoryUsed()).isLessThanOrEqualTo(2 * BROKER_LIMIT);

        RecordingConsumer consumer = subscribe(connection, UNLIMITED);

        assertThat(receiveAcknowledging(consumer, MESSAGES)).containsExactly(numbered(MESSAGES));
    }

    @Test
    void oneQueueHoldingAllBrokerMemoryDoesNotStallProducersOfAnother() throws Exception {
        sendNumbered(UNLIMITED, MESSAGES);
        settle();

        for (String body : numbered(100)) {
            connection.send(text(OTHER, body)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        RecordingConsumer consumer = subscribe(connection, OTHER);

        assertThat(receiveAcknowledging(consumer, 100)).containsExactly(numbered(100));
    }

    private void sendNumbered(Destination destination, int count) {
        for (String body : numbered(count)) {
            send(connection, text(destination, body));
        }
    }

    private static String[] numbered(int count) {
        return IntStream.range(0, count).mapToObj(i -> "m" + i + ":" + KILOBYTE).toArray(String[]::new);
    }

    private Path pagingDirectory() {
        return dataDirectory.resolve("paging");
    }

    private List<Path> pageFiles() throws IOException {
        if (!Files.exists(pagingDirectory())) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(pagingDirectory())) {
            return paths.filter(Files::isRegularFile).toList();
        }
    }
}
