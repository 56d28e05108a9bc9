package io.junction.interop.cli;

import io.junction.interop.raw.RawStompClient;
import io.junction.interop.support.BrokerProcess;
import io.junction.interop.support.JunctionCommand.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;
import static org.awaitility.Awaitility.await;

/** {@code bin/junction run}: the foreground broker, its refusal of bad input and its graceful stop. */
class CliRunTest {

    @RegisterExtension
    final BrokerProcess broker = BrokerProcess.builder().tempDirectory("junction-cli-").build();

    @Test
    void unknownConfigKeyStopsRunWithFileLineAndExitCode2() throws Exception {
        List<String> lines = Files.readAllLines(broker.config());
        int shutdownTimeout = lines.indexOf("  shutdownTimeout: 30s");
        assertThat(shutdownTimeout).as("the shipped config sets broker.shutdownTimeout").isNotNegative();
        lines.add(shutdownTimeout + 1, "  colour: blue");
        Files.write(broker.config(), lines);

        Result run = broker.junction("run");

        assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
        assertThat(run.stderrLines()).as("%s", run).singleElement(STRING)
                .contains(broker.config() + ":" + (shutdownTimeout + 2) + ":").contains("colour");
        assertThat(BrokerProcess.isListening(broker.port())).isFalse();
    }

    @Test
    void portOverrideForAnUnknownListenerIsRefused() throws Exception {
        Result run = broker.junction("run", "--port", "unknown=1");

        assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
        assertThat(run.stderrLines()).as("%s", run).singleElement(STRING)
                .contains("--port unknown=1").contains("unknown listener").contains("stomp");
    }

    @Test
    void malformedPortOverrideIsRefusedInOneLine() throws Exception {
        Result run = broker.junction("run", "--port", "stomp=http");

        assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
        assertThat(run.stderrLines()).as("%s", run).singleElement(STRING).contains("--port").contains("http");
    }

    @Test
    void sigtermStopsAForegroundBrokerGracefully() throws Exception {
        Process run = broker.launch();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> BrokerProcess.isListening(broker.port()) || !run.isAlive());
        assertThat(run.isAlive()).as("broker exited early: %s", broker.output()).isTrue();
        try (RawStompClient client = RawStompClient.connected(broker.port(), "1.2")) {

            run.destroy();

            client.awaitClosed(Duration.ofSeconds(30));
        }
        assertThat(run.waitFor(30, TimeUnit.SECONDS)).as("exited after SIGTERM: %s", broker.output()).isTrue();
        assertThat(run.exitValue()).as("exit code after SIGTERM: a graceful stop is a success").isEqualTo(0);
        assertThat(BrokerProcess.isListening(broker.port())).as("STOMP port after SIGTERM").isFalse();
        assertThat(broker.pidFile()).as("pid file, removed by the graceful stop").doesNotExist();
        assertThat(broker.dataDirectory().resolve("log").resolve("junction.log")).content()
                .contains("Connection opened").contains("Connection closed").contains("stopped");
    }
}
