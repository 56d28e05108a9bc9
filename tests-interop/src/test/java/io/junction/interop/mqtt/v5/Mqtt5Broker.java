package io.junction.interop.mqtt.v5;

import io.junction.interop.support.EmbeddedBroker;
import io.junction.interop.support.ReferenceMosquitto;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;

/**
 * The broker an MQTT 5 test runs against: Junction in-process ({@link EmbeddedBroker}) by default,
 * or the reference broker, Mosquitto, with {@code -Dmqtt.reference=mosquitto}, to check that an
 * expectation taken from the specification holds on a broker known to implement it.
 *
 * <p>Each test gets a fresh broker on an ephemeral port and a temporary data directory.
 * Settings are given twice, once as Junction YAML ({@code protocols:} section) and once as
 * Mosquitto configuration lines, since the two brokers name them differently.
 */
public final class Mqtt5Broker implements BeforeEachCallback, AfterEachCallback {

    /** True when the run is against Mosquitto rather than Junction. */
    public static final boolean MOSQUITTO = ReferenceMosquitto.SELECTED;

    private final EmbeddedBroker junction;
    private final String mosquittoConf;
    private ReferenceMosquitto mosquitto;

    public Mqtt5Broker() {
        this("", "");
    }

    /**
     * @param mqttSettings  Junction {@code protocols.mqtt} keys, one "key: value" a line. Unless
     *                      given, {@code clientReconnectInterval} is 0s so that tests may reconnect
     *                      with the same client id at once.
     * @param mosquittoConf configuration lines for Mosquitto with the same meaning
     */
    public Mqtt5Broker(String mqttSettings, String mosquittoConf) {
        this.junction = MOSQUITTO ? null : new EmbeddedBroker(junctionYaml(mqttSettings));
        this.mosquittoConf = mosquittoConf;
    }

    static String junctionYaml(String mqttSettings) {
        StringBuilder yaml = new StringBuilder("protocols:\n  mqtt:\n");
        if (!mqttSettings.contains("clientReconnectInterval")) {
            yaml.append("    clientReconnectInterval: 0s\n");
        }
        mqttSettings.lines().filter(l -> !l.isBlank()).forEach(l -> yaml.append("    ").append(l.strip()).append('\n'));
        return yaml.toString();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (junction != null) {
            junction.start();
        } else {
            mosquitto = new ReferenceMosquitto(mosquittoConf);
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
    public Mqtt5Broker withListenerSettings(String yaml) {
        if (junction != null) {
            junction.withListenerSettings(yaml);
        }
        return this;
    }

    public boolean isJunction() {
        return junction != null;
    }

    /** Skips the calling test on the reference broker (for Junction-only behaviour). */
    public void assumeJunction(String why) {
        Assumptions.assumeTrue(isJunction(), "Junction only: " + why);
    }

    /**
     * Expects the broker to close the connection after a DISCONNECT with the reason code (4.13:
     * "it SHOULD send a DISCONNECT packet containing the Reason Code before closing"). Junction's
     * design always sends it; on the reference broker a bare close is accepted, a DISCONNECT with
     * another code is not.
     */
    public void expectDisconnect(RawMqtt5Client client, int... reasonCodes) throws IOException {
        Integer sent = client.awaitDisconnectReason();
        if (isJunction() || sent != null) {
            org.assertj.core.api.Assertions.assertThat(sent)
                    .as("reason code of the DISCONNECT before the close (null: closed without DISCONNECT)")
                    .isIn(java.util.Arrays.stream(reasonCodes).boxed().toArray());
        }
    }

    public int port() {
        return junction != null ? junction.mqttPort() : mosquitto.port();
    }

    /** {@code tcp://127.0.0.1:<port>}, as Paho takes it. */
    public String uri() {
        return "tcp://127.0.0.1:" + port();
    }

    public int stompPort() {
        assumeJunction("STOMP listener");
        return junction.stompPort();
    }

    public EmbeddedBroker junction() {
        assumeJunction("broker internals");
        return junction;
    }

    /** A graceful stop and start on the same data directory; the port may change. */
    public void restart() throws IOException {
        if (junction != null) {
            junction.restart();
        } else {
            mosquitto.restart();
        }
    }

    /** Stops the broker as a graceful shutdown does (clients are told, MQTT 5: DISCONNECT 0x8B). */
    public void stop() {
        if (junction != null) {
            junction.stop();
        } else {
            mosquitto.stop();
        }
    }
}
