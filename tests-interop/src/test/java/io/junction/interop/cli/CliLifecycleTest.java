package io.junction.interop.cli;

import io.junction.interop.raw.WellBehavedClient;
import io.junction.interop.support.BrokerProcess;
import io.junction.interop.support.JunctionCommand.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;
import static org.awaitility.Awaitility.await;

/** {@code bin/junction start | status | stop} on a broker in the background, as an operator runs them. */
class CliLifecycleTest {

    @RegisterExtension
    final BrokerProcess broker = BrokerProcess.builder().tempDirectory("junction-cli-").build();

    @Test
    void startPrintsThePidAndStatusReportsRunning() throws Exception {
        long pid = start();

        assertThat(broker.pidInPidFile()).hasValue(pid);
        Result status = broker.junction("status");
        assertThat(status.exitCode()).as("%s", status).isZero();
        assertThat(status.stdout()).contains("running").contains(Long.toString(pid)).doesNotContain("not running");
        Result json = broker.junction("status", "--json");
        assertThat(json.exitCode()).as("%s", json).isZero();
        assertThat(json.stdout().strip()).startsWith("{\"running\":true,").contains("\"pid\":" + pid).endsWith("}");
    }

    @Test
    void startedBrokerServesStompClients() throws Exception {
        start();

        WellBehavedClient.assertRoundTrip(broker.port());
    }

    @Test
    void secondStartOnTheSameDataDirectoryFails() throws Exception {
        long pid = start();

        Result again = broker.junction("start");

        assertThat(again.exitCode()).as("%s", again).isNotZero();
        assertThat(again.stderrLines()).as("%s", again).singleElement(STRING)
                .contains("already running").contains(Long.toString(pid));
        assertThat(broker.pidInPidFile()).hasValue(pid);
        WellBehavedClient.assertRoundTrip(broker.port());
    }

    @Test
    void secondBrokerOnTheSameDataDirectoryRefusesToRun() throws Exception {
        long pid = start();
        int otherPort = BrokerProcess.freePort();

        Result second = broker.junctionOnPort(otherPort, "run");

        assertThat(second.exitCode()).as("%s", second).isNotZero();
        assertThat(second.stderrLines()).as("%s", second).singleElement(STRING)
                .contains(broker.dataDirectory().toString()).contains("in use by another broker");
        assertThat(BrokerProcess.isListening(otherPort)).as("port of the refused broker is open").isFalse();
        assertThat(broker.pidInPidFile()).hasValue(pid);
        WellBehavedClient.assertRoundTrip(broker.port());
    }

    @Test
    void stopEndsTheBrokerAndClosesItsPort() throws Exception {
        long pid = start();

        Result stop = broker.junction("stop");

        assertThat(stop.exitCode()).as("%s", stop).isZero();
        assertThat(stop.stdout()).contains("stopped");
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("broker process after stop").isEmpty();
        assertThat(BrokerProcess.isListening(broker.port())).as("STOMP port after stop").isFalse();
        assertThat(broker.pidFile()).doesNotExist();
        Result status = broker.junction("status");
        assertThat(status.exitCode()).as("%s", status).isEqualTo(3);
        assertThat(status.stdout()).contains("not running");
        Result json = broker.junction("status", "--json");
        assertThat(json.exitCode()).isEqualTo(3);
        assertThat(json.stdout().strip()).startsWith("{\"running\":false,");
    }

    /** Runs {@code start}, checks it succeeded and the broker listens, and returns the pid it printed. */
    private long start() throws Exception {
        Result start = broker.junction("start");
        assertThat(start.exitCode()).as("%s", start).isZero();
        Matcher pid = Pattern.compile("pid (\\d+)").matcher(start.stdout());
        assertThat(pid.find()).as("pid in: %s", start.stdout()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> BrokerProcess.isListening(broker.port()));
        return Long.parseLong(pid.group(1));
    }
}
