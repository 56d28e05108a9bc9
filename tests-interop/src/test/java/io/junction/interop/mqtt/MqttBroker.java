package io.junction.interop.mqtt;

import io.junction.interop.support.EmbeddedBroker;
import io.junction.interop.support.ReferenceMosquitto;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;

/**
 * The broker an MQTT test talks to: Junction in-process ({@link EmbeddedBroker}) by default.
 *
 * <p>With {@code -Dmqtt.reference=mosquitto} the same tests run against Mosquitto
 * ({@code /usr/sbin/mosquitto}) as a child process on a free port and a temporary persistence
 * directory, to check that what a test expects is what the reference broker does. Settings are given
 * twice, once as Junction YAML and once as mosquitto.conf lines; tests of Junction's own design
 * (cross-protocol, limits that Mosquitto does not have) call {@link #assumeJunction}, which skips
 * them against Mosquitto.
 */
public final class MqttBroker implements BeforeEachCallback, AfterEachCallback {

    /** {@code junction} (default) or {@code mosquitto}. */
    private final EmbeddedBroker junction;
    private final String mosquittoConf;
    private ReferenceMosquitto mosquitto;

    public MqttBroker() {
        this("", "");
    }

    /**
     * @param junctionYaml  extra YAML for Junction (replaces whole top-level sections)
     * @param mosquittoConf extra mosquitto.conf lines with the same meaning, for the reference run
     */
    public MqttBroker(String junctionYaml, String mosquittoConf) {
        this.junction = isMosquitto() ? null : new EmbeddedBroker(junctionYaml);
        this.mosquittoConf = mosquittoConf;
    }

    /**
     * A broker with {@code protocols.mqtt} settings ("key: value" lines) and, unless they set it,
     * {@code clientReconnectInterval: 0s}, so that tests may reconnect with the same client id at once.
     */
    public static MqttBroker withSettings(String mosquittoConf, String... mqttSettings) {
        StringBuilder yaml = new StringBuilder("protocols:\n  mqtt:\n");
        boolean intervalGiven = false;
        for (String setting : mqttSettings) {
            yaml.append("    ").append(setting).append('\n');
            intervalGiven |= setting.startsWith("clientReconnectInterval");
        }
        if (!intervalGiven) {
            yaml.append("    clientReconnectInterval: 0s\n");
        }
        return new MqttBroker(yaml.toString(), mosquittoConf);
    }

    /** {@link #withSettings} with only {@code clientReconnectInterval: 0s}. */
    public static MqttBroker reconnectAtOnce() {
        return withSettings("");
    }

    public static boolean isMosquitto() {
        return ReferenceMosquitto.SELECTED;
    }

    /** Skips the test against the reference broker: it checks Junction's own design. */
    public static void assumeJunction(String why) {
        Assumptions.assumeFalse(isMosquitto(), "Junction only: " + why);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (junction != null) {
            junction.start();
        } else {
            // Junction's default maxMessageSize, for the packet size tests.
            mosquitto = new ReferenceMosquitto("max_packet_size 10485760\n" + mosquittoConf);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (junction != null) {
            junction.stop();
        } else {
            mosquitto.close();
        }
    }

    /** Keys added to every Junction listener ("key: value" lines), such as {@code maxMessageSize: 1KB}. */
    public MqttBroker withListenerSettings(String yaml) {
        if (junction != null) {
            junction.withListenerSettings(yaml);
        }
        return this;
    }

    /** Stops the broker gracefully and starts it again on the same data; the port may change. */
    public void restart() throws IOException {
        if (junction != null) {
            junction.restart();
        } else {
            mosquitto.restart();
        }
    }

    public int port() {
        return junction != null ? junction.mqttPort() : mosquitto.port();
    }

    public String uri() {
        return "tcp://127.0.0.1:" + port();
    }

    /** The STOMP listener's port (Junction only). */
    public int stompPort() {
        assumeJunction("STOMP listener");
        return junction.stompPort();
    }
}
