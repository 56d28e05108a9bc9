package io.junction.interop.security;

import io.junction.interop.raw.RawFrame;
import io.junction.interop.raw.RawStompClient;
import io.junction.interop.support.EmbeddedBroker;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A listener's {@code groups}: only their users may connect; others get "not authorized". */
@Timeout(60)
class ListenerGroupsTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker()
            .withUser("root", "root-pw", "admins")
            .withUser("alice", "alice-pw", "apps")
            .withListenerSettings("groups: [admins]");

    @Test
    void mqtt5UserOutsideTheGroupsGetsNotAuthorized() throws Exception {
        MqttClient client = new MqttClient(broker.mqttUri(), "groups-1", new MemoryPersistence());
        MqttException refused = catchThrowableOfType(MqttException.class, () -> client.connect(options("alice", "alice-pw")));
        assertThat(refused.getReasonCode()).isEqualTo(0x87);
        client.close();
    }

    @Test
    void userInTheGroupsConnects() throws Exception {
        MqttClient client = new MqttClient(broker.mqttUri(), "groups-2", new MemoryPersistence());
        client.connect(options("root", "root-pw"));
        assertThat(client.isConnected()).isTrue();
        client.disconnect();
        client.close();
    }

    @Test
    void anonymousIsNotInAnyGroupSoItIsRefusedToo() throws Exception {
        try (RawStompClient client = RawStompClient.open(broker.stompPort())) {
            client.write(RawStompClient.frame("CONNECT", "accept-version:1.2", "host:localhost"));
            RawFrame error = client.expectErrorAndClose();
            assertThat(error.header("message")).isEqualTo("not authorized");
        }
    }

    private static MqttConnectionOptions options(String user, String password) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(user);
        options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        return options;
    }
}
