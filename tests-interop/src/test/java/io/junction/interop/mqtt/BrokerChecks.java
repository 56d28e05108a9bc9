package io.junction.interop.mqtt;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks shared by the MQTT tests. */
public final class BrokerChecks {

    private BrokerChecks() {
    }

    /** A fresh Paho client can connect, subscribe, publish at QoS 1 and receive its own message. */
    public static void assertStillServing(MqttBroker broker) throws Exception {
        String id = "probe-" + UUID.randomUUID().toString().substring(0, 8);
        try (PahoClient probe = PahoClient.connect(broker, id)) {
            assertThat(probe.subscribe("probe/" + id, 1)).isEqualTo(1);
            probe.publish("probe/" + id, "still serving", 1, false);
            assertThat(probe.await().text()).isEqualTo("still serving");
        }
    }
}
