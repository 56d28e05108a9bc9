package io.junction.interop.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.core.boot.JunctionServer;
import io.junction.core.config.ConfigLoader;
import io.junction.core.spi.ProtocolModule;
import io.junction.interop.raw.RawFrame;
import io.junction.interop.raw.RawStompClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A broker whose data directory is on a small tmpfs fills it with persistent messages: the send
 * that finds no space gets an ERROR instead of a RECEIPT, the broker stays up and keeps routing
 * non-persistent messages, persistent sends work again once space is freed, and after a restart
 * every message that had a RECEIPT is there and the refused one is not.
 */
class DiskFullTest {

    private static final String TMPFS_SIZE = "24m";
    /** Deleted to give the broker space again: several journal segments' worth. */
    private static final int FILLER_BYTES = 4 * 1024 * 1024;
    private static final int BODY_BYTES = 64 * 1024;
    /** Twice what the tmpfs can hold: the disk must be full long before. */
    private static final int MAX_SENDS = 2 * 24 * 1024 * 1024 / BODY_BYTES;
    private static final int SENDS_AFTER_SPACE_RETURNS = 5;
    private static final String QUEUE = "/queue/full";
    private static final Duration QUIET = Duration.ofSeconds(1);

    @TempDir
    Path scratch;

    private TmpfsMount tmpfs;
    private JunctionServer server;

    @BeforeEach
    void mountTmpfs() throws Exception {
        tmpfs = TmpfsMount.mountOrSkipTest(scratch.resolve("tmpfs"), TMPFS_SIZE);
    }

    @AfterEach
    void stopBrokerAndUnmount() throws Exception {
        if (server != null) {
            server.stop();
        }
        if (tmpfs != null) {
            tmpfs.close();
        }
    }

    @Test
    void fullDiskRefusesPersistentSendsUntilSpaceReturnsAndLosesNothingAcknowledged() throws Exception {
        Path filler = tmpfs.filler("filler", FILLER_BYTES);
        startBroker();

        List<Integer> receipted = new ArrayList<>();
        RawFrame refusal = null;
        int number = 0;
        try (RawStompClient producer = RawStompClient.connected(port(), StompSteps.VERSION)) {
            while (refusal == null && number < MAX_SENDS) {
                number++;
                producer.write(StompSteps.sendFrame(QUEUE, body(number), true, Integer.toString(number)));
                RawFrame reply = producer.readFrame();
                if (reply.command().equals("RECEIPT")) {
                    receipted.add(number);
                } else {
                    refusal = reply;
                }
            }
        }
        int refused = number;
        assertThat(refusal).as("reply to a persistent send once the disk is full (after %d receipts)",
                receipted.size()).isNotNull();
        assertThat(refusal.command()).as("%s", refusal).isEqualTo("ERROR");
        assertThat(refusal.header("receipt-id")).as("%s", refusal).isEqualTo(Integer.toString(refused));
        assertThat(refusal.header("message")).as("the reason given").containsIgnoringCase("space");
        assertThat(receipted).as("persistent messages stored before the disk was full").hasSizeGreaterThan(100);

        try (RawStompClient client = RawStompClient.connected(port(), StompSteps.VERSION)) {
            StompSteps.send(client, "/queue/transient", "still routed", false);
            StompSteps.subscribe(client, "/queue/transient");
            assertThat(StompSteps.consumeUntilQuiet(client, QUIET)).extracting(RawFrame::bodyText)
                    .as("a non-persistent message while the disk is full").containsExactly("still routed");
        }

        Files.delete(filler);
        try (RawStompClient producer = RawStompClient.connected(port(), StompSteps.VERSION)) {
            for (int i = 0; i < SENDS_AFTER_SPACE_RETURNS; i++) {
                number++;
                producer.write(StompSteps.sendFrame(QUEUE, body(number), true, Integer.toString(number)));
                StompSteps.awaitReceipt(producer, Integer.toString(number));
                receipted.add(number);
            }
        }

        server.stop();
        startBroker();
        List<Integer> recovered = new ArrayList<>();
        try (RawStompClient consumer = RawStompClient.connected(port(), StompSteps.VERSION)) {
            StompSteps.subscribe(consumer, QUEUE);
            for (RawFrame message : StompSteps.consumeUntilQuiet(consumer, QUIET)) {
                recovered.add(numberOf(message.bodyText()));
            }
        }
        assertThat(recovered).as("messages after a restart: every one that had a RECEIPT, in order, and not %d, "
                + "which was refused", refused).containsExactlyElementsOf(receipted);
    }

    private void startBroker() throws Exception {
        Path config = scratch.resolve("broker.yaml");
        Files.writeString(config, """
                broker:
                  dataDirectory: %s
                  shutdownTimeout: 5s
                listeners:
                  - name: stomp
                    protocols: [stomp]
                    port: 0
                store:
                  segmentSize: 1MB
                  diskFullPolicy: fail
                """.formatted(tmpfs.path().resolve("data")));
        Map<String, ProtocolModule> modules = JunctionServer.discoverModules();
        server = new JunctionServer(ConfigLoader.load(config, scratch, JunctionServer.settingsOf(modules)), modules);
        server.start();
    }

    private int port() {
        return server.port("stomp");
    }

    /** The number, a colon, then padding up to {@link #BODY_BYTES}. */
    private static String body(int number) {
        String prefix = number + ":";
        return prefix + "x".repeat(BODY_BYTES - prefix.length());
    }

    private static int numberOf(String body) {
        return Integer.parseInt(body.substring(0, body.indexOf(':')));
    }
}
