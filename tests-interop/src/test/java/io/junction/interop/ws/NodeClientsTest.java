package io.junction.interop.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.interop.support.EmbeddedBroker;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The JavaScript clients browsers run, under Node: mqtt.js (MQTT 3.1.1 and 5) and @stomp/stompjs
 * over the ws listener. The scripts and their pinned packages are in {@code src/test/node};
 * {@code .ci/run} installs the packages with {@code npm ci}. Without them (a checkout where
 * {@code npm ci} has not run) the tests are skipped, saying so.
 */
@Timeout(60)
class NodeClientsTest {

    private static final Path NODE_DIR = Path.of("src/test/node");

    @RegisterExtension
    final EmbeddedBroker broker = WsBrokers.create();

    @BeforeAll
    static void nodeClientsInstalled() {
        Assumptions.assumeTrue(Files.isDirectory(NODE_DIR.resolve("node_modules/mqtt"))
                        && Files.isDirectory(NODE_DIR.resolve("node_modules/@stomp/stompjs")),
                "npm packages not installed: run .ci/run, or npm ci in tests-interop/src/test/node");
    }

    @Test
    void mqttJsOverWebSocket() throws Exception {
        List<String> lines = run("mqtt-ws.mjs", url("/mqtt"), "4");
        // The message may arrive before or after the PUBACK.
        assertThat(lines).containsExactlyInAnyOrder("connected", "subscribed", "published",
                "received js/mqtt/v4 hello from mqtt.js v4", "disconnected");
        assertThat(lines).startsWith("connected", "subscribed").endsWith("disconnected");
    }

    @Test
    void mqttJsVersion5OverWebSocket() throws Exception {
        List<String> lines = run("mqtt-ws.mjs", url("/mqtt"), "5");
        assertThat(lines).contains("connected", "received js/mqtt/v5 hello from mqtt.js v5", "disconnected");
    }

    @Test
    void stompJsOverWebSocket() throws Exception {
        List<String> lines = run("stomp-ws.mjs", url("/stomp"));
        assertThat(lines).contains("connected version 1.2 subprotocol v12.stomp",
                "received /queue/js.stomp hello from stompjs", "disconnected");
    }

    private String url(String path) {
        return "ws://127.0.0.1:" + broker.port(WsBrokers.ALL) + path;
    }

    /** Runs {@code node script arguments...}, expects exit 0 within 30 s, and returns its stdout lines. */
    private static List<String> run(String script, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", NODE_DIR.resolve(script).toString()));
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile("node-client-", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            boolean exited = process.waitFor(30, TimeUnit.SECONDS);
            if (!exited) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(exited).as("%s exits within 30 s; output:%n%s", script, text).isTrue();
            assertThat(process.exitValue()).as("exit status of %s; output:%n%s", script, text).isZero();
            return text.lines().toList();
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
