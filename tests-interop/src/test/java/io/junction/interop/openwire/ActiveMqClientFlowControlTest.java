package io.junction.interop.openwire;

import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A destination that blocks its producers when full holds back an ActiveMQ client sending
 * asynchronously, with or without a producer window: the broker stops taking its messages rather
 * than filling its memory, and everything arrives once a consumer drains the queue.
 */
@Timeout(120)
class ActiveMqClientFlowControlTest {

    private static final int MESSAGES = 2000;
    private static final int SIZE = 10 * 1024;

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker("""
            destinations:
              policies:
                - match: "ow.flood.>"
                  memoryLimit: 256KB
                  fullPolicy: block
            """);

    @Test
    void asynchronousSendsWithoutAWindowAreHeldBackByTcp() throws Exception {
        floodAndDrain("?jms.useAsyncSend=true", "ow.flood.nowindow");
    }

    @Test
    void asynchronousSendsWithAWindowAreHeldBackByProducerAcks() throws Exception {
        floodAndDrain("?jms.useAsyncSend=true&jms.producerWindowSize=65536", "ow.flood.window");
    }

    private void floodAndDrain(String options, String queue) throws Exception {
        try (Connection producing = new ActiveMQConnectionFactory(broker.openWireUri() + options).createConnection();
             Connection consuming = new ActiveMQConnectionFactory(broker.openWireUri()).createConnection()) {
            producing.start();
            consuming.start();
            Session session = producing.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            AtomicInteger sent = new AtomicInteger();
            CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> {
                try {
                    byte[] payload = new byte[SIZE];
                    for (int i = 0; i < MESSAGES; i++) {
                        BytesMessage message = session.createBytesMessage();
                        message.writeBytes(payload);
                        producer.send(message);
                        sent.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            // The producer stalls well before it has sent the 20 MB, and the queue holds about
            // its memory limit, not what the producer tried to send.
            await().atMost(Duration.ofSeconds(30)).until(() -> stalled(sent));
            assertThat(sent.get()).isLessThan(MESSAGES);
            assertThat(broker.broker().queue(queue).depth() * (long) SIZE).isLessThan(2L * 1024 * 1024);

            Session receiving = consuming.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = receiving.createConsumer(receiving.createQueue(queue));
            for (int i = 0; i < MESSAGES; i++) {
                assertThat(consumer.receive(10_000)).as("message %d", i).isNotNull();
            }
            flood.get(30, TimeUnit.SECONDS);
        }
    }

    /** True once the count has not moved for half a second. */
    private static boolean stalled(AtomicInteger sent) throws InterruptedException {
        int before = sent.get();
        Thread.sleep(500);
        return sent.get() == before && before > 0;
    }
}
