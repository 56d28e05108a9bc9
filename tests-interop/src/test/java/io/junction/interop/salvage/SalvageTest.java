package io.junction.interop.salvage;

import io.junction.core.boot.JunctionServer;
import io.junction.core.config.BrokerConfig;
import io.junction.core.config.ConfigLoader;
import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.ProtocolModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A journal damaged in the middle (not a torn tail): the broker refuses to start and names the
 * file and offset; with salvage it moves the damaged segment to the quarantine directory, keeps
 * it, and recovers the messages of the other segments.
 */
class SalvageTest {

    @TempDir
    Path home;

    @Test
    void damagedOlderSegmentStopsStartUpAndSalvageQuarantinesIt() throws Exception {
        BrokerConfig config = config();
        int sent = 3000;
        JunctionServer first = new JunctionServer(config, modules());
        first.start();
        BrokerConnection connection = first.broker().openConnection("test", null, null);
        byte[] body = new byte[1024];
        for (int i = 0; i < sent; i++) {
            connection.send(Message.builder(Destination.queue("kept")).persistent(true).body(
                    io.junction.core.model.BodyType.BYTES, body).property("n", i).build())
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        first.stop();

        Path journal = config.broker().dataDirectory().resolve("journal");
        List<Path> segments = segments(journal);
        assertThat(segments).as("3 MB of messages over 1 MB segments").hasSizeGreaterThanOrEqualTo(3);
        Path damaged = segments.get(0);
        byte[] bytes = Files.readAllBytes(damaged);
        bytes[100_000] ^= (byte) 0xFF;
        Files.write(damaged, bytes);

        JunctionServer refused = new JunctionServer(config, modules());
        assertThatThrownBy(refused::start)
                .hasMessageContaining(damaged.toString())
                .hasMessageContaining("offset")
                .hasMessageContaining("--salvage");

        JunctionServer salvaged = new JunctionServer(config, modules());
        salvaged.salvageDamagedJournal(true);
        salvaged.start();
        try (Stream<Path> quarantined = Files.list(journal.resolve("quarantine"))) {
            assertThat(quarantined.toList()).singleElement()
                    .satisfies(p -> assertThat(p.getFileName().toString()).startsWith(damaged.getFileName().toString()));
        }
        long depth = salvaged.broker().queue("kept").depth();
        assertThat(depth).as("messages of the undamaged segments are recovered").isGreaterThan(0).isLessThan(sent);
        salvaged.stop();
    }

    private BrokerConfig config() throws Exception {
        Path file = home.resolve("broker.yaml");
        Files.writeString(file, """
                broker:
                  dataDirectory: data
                listeners:
                  - name: stomp
                    protocols: [stomp]
                    port: 0
                store:
                  segmentSize: 1MB
                """);
        return ConfigLoader.load(file, home, JunctionServer.settingsOf(modules()));
    }

    private static Map<String, ProtocolModule> modules() {
        return JunctionServer.discoverModules();
    }

    private static List<Path> segments(Path journal) throws Exception {
        try (Stream<Path> files = Files.list(journal)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().toList();
        }
    }
}
