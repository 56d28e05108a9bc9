package io.junction.interop.raw;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.junction.interop.support.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many connections send random bytes, truncated and mutated frames, garbage and absurd
 * content-lengths, then drop the connection; the broker must still serve a well-behaved client
 * and must not leak connections. Reproduce a failure with {@code -Dfuzz.seed=<seed from the message>}.
 */
class StompFuzzTest {

    private static final long SEED = Long.getLong("fuzz.seed", 20_240_611L);
    private static final int CONNECTIONS = 200;
    private static final Duration TIME_LIMIT = Duration.ofSeconds(10);

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    @Test
    void brokerSurvivesBadInputFromManyConnections() throws Exception {
        List<Callable<Void>> attacks = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            BadInput kind = BadInput.values()[i % BadInput.values().length];
            Random random = new Random(SEED + i);
            attacks.add(() -> attack(kind, random));
        }
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        root.addAppender(logged);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Void>> done = pool.invokeAll(attacks, TIME_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            for (Future<Void> attack : done) {
                assertThat(attack.isCancelled()).as("an attack outran %s (seed %d)", TIME_LIMIT, SEED).isFalse();
                attack.get();
            }

            WellBehavedClient.assertRoundTrip(broker.stompPort());
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(broker.broker().connectionCount())
                            .as("open connections after the attack (seed %d)", SEED).isZero());
        } finally {
            pool.shutdownNow();
            root.detachAppender(logged);
        }
        assertThat(logged.list).filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.ERROR))
                .as("errors the broker logged (bad input must be answered with ERROR frames, not crash handlers;"
                        + " seed %d)", SEED)
                .isEmpty();
    }

    /** One misbehaving connection: a few chunks of bad input, then a close or a reset. */
    private Void attack(BadInput kind, Random random) throws IOException {
        RawStompClient client = RawStompClient.open(broker.stompPort());
        try {
            if (kind.connectsFirst()) {
                client.connect(random.nextBoolean() ? "1.2" : "1.0,1.1");
            }
            for (int chunk = 1 + random.nextInt(16); chunk > 0; chunk--) {
                client.write(kind.next(random));
            }
        } catch (IOException brokerClosedOnUs) {
            // Expected: the broker answers bad input with ERROR and closes, so later writes may fail.
        } finally {
            if (random.nextBoolean()) {
                client.abort();
            } else {
                client.close();
            }
        }
        return null;
    }
}
