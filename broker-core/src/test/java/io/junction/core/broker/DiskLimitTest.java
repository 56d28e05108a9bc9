package io.junction.core.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.junction.core.config.DestinationsConfig;
import io.junction.core.config.DiskFullPolicy;
import io.junction.core.config.FullPolicy;
import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.BrokerException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Persistent sends at the broker's disk usage limit, set to two journal segments: the journal
 * reaches it when its first segment is full and it starts the second.
 */
class DiskLimitTest {

    private static final long DISK_LIMIT = 2L * BrokerTestSupport.JOURNAL.segmentSize();
    private static final String KILOBYTE = "x".repeat(1024);
    private static final Destination ORDERS = Destination.queue("orders");
    private static final Destination TRANSIENT = Destination.queue("transient");
    /** Pages non-persistent messages past 64 KB in memory. */
    private static final Destination PAGED = Destination.queue("paged.orders");
    /** Non-persistent 1 KB messages whose page files take more than the segment left under the limit. */
    private static final int PAGED_MESSAGES = 1200;
    /** Space returns when maintenance (every second) deletes or compacts the drained segment. */
    private static final Duration SPACE_RETURNS = Duration.ofSeconds(10);

    /** A broker whose disk usage limit is {@link #DISK_LIMIT}, with one connected client. */
    abstract static class AtTheDiskLimit extends BrokerTestSupport {

        BrokerConnection connection;
        int stored;

        abstract DiskFullPolicy diskFullPolicy();

        @Override
        DestinationsConfig config() {
            return withPolicies(policy("paged.>", memoryLimit(64 * 1024, FullPolicy.PAGE)));
        }

        @Override
        Limits limits() {
            return new Limits(64L * 1024 * 1024, DISK_LIMIT, diskFullPolicy(), dataDirectory.resolve("paging"));
        }

        @BeforeEach
        void connectClient() throws Exception {
            connection = connect();
        }

        /** Sends persistent messages, each stored before the next, until the journal uses the limit. */
        void fillTheDisk() {
            while (store.diskUsage() < DISK_LIMIT) {
                assertThat(stored).as("persistent 1 KB messages stored").isLessThan(10_000);
                send(connection, persistent(stored++));
            }
        }

        /** A persistent send after those {@link #fillTheDisk()} stored. */
        CompletableFuture<Void> sendPersistent() {
            return connection.send(persistent(stored)).toCompletableFuture();
        }

        void sendNonPersistent() throws Exception {
            connection.send(BrokerTestSupport.text(TRANSIENT, "not persistent")).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
        }

        /** Consumes and acknowledges what {@link #fillTheDisk()} stored, so that maintenance can free the journal. */
        void drain() throws BrokerException {
            receiveAcknowledging(subscribe(connection, ORDERS), stored);
        }

        static Message persistent(int number) {
            return Message.builder(ORDERS).persistent(true).textBody("m" + number + ":" + KILOBYTE).build();
        }
    }

    @Nested
    class WhenSendsFail extends AtTheDiskLimit {

        @Override
        DiskFullPolicy diskFullPolicy() {
            return DiskFullPolicy.FAIL;
        }

        @Test
        void persistentSendIsRefusedNamingTheLimitWhileNonPersistentSendsGoOn() throws Exception {
            fillTheDisk();

            assertThatThrownBy(() -> sendPersistent().get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(BrokerException.class)
                    .hasMessageContaining("disk usage limit");
            sendNonPersistent();
        }

        @Test
        void persistentSendsAreAcceptedAgainOnceSpaceReturns() throws Exception {
            fillTheDisk();
            drain();

            await().atMost(SPACE_RETURNS).until(() -> store.diskUsage() < DISK_LIMIT);
            sendPersistent().get(5, TimeUnit.SECONDS);
        }

        @Test
        void pageFilesCountTowardsTheLimit() throws Exception {
            for (int i = 0; i < PAGED_MESSAGES; i++) {
                send(connection, BrokerTestSupport.text(PAGED, "m" + i + ":" + KILOBYTE));
            }

            assertThatThrownBy(() -> sendPersistent().get(5, TimeUnit.SECONDS))
                    .cause().hasMessageContaining("disk usage limit");
            receiveAcknowledging(subscribe(connection, PAGED), PAGED_MESSAGES);
            sendPersistent().get(5, TimeUnit.SECONDS);
        }
    }

    @Nested
    class WhenSendsBlock extends AtTheDiskLimit {

        @Override
        DiskFullPolicy diskFullPolicy() {
            return DiskFullPolicy.BLOCK;
        }

        @Test
        void persistentSendIsHeldUntilSpaceReturnsWhileNonPersistentSendsGoOn() throws Exception {
            fillTheDisk();

            CompletableFuture<Void> held = sendPersistent();
            sendNonPersistent();
            // Longer than the sweep that releases held sends, so it had its chance to go wrong.
            Thread.sleep(1500);
            assertThat(held).as("persistent send at the disk usage limit").isNotDone();

            drain();

            held.get(SPACE_RETURNS.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
