package io.junction.interop.security;

import io.junction.interop.support.EmbeddedBroker;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * MQTT 3.1.1 and 5 with Paho against listeners that refuse anonymous access: CONNACK 0x05
 * (3.1.1) and 0x86 (5) for missing or wrong credentials, a session for the right ones.
 */
@Timeout(60)
class MqttAuthenticationTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker()
            .withUser("alice", "alice-pw", "apps")
            .withListenerSettings("allowAnonymous: false");

    private MqttClient v3() throws MqttException {
        return new MqttClient(broker.mqttUri(), "auth-v3", new MemoryPersistence());
    }

    private static MqttConnectOptions v3Options(String user, String password) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        if (user != null) {
            options.setUserName(user);
            options.setPassword(password.toCharArray());
        }
        return options;
    }

    private org.eclipse.paho.mqttv5.client.MqttClient v5() throws org.eclipse.paho.mqttv5.common.MqttException {
        return new org.eclipse.paho.mqttv5.client.MqttClient(broker.mqttUri(), "auth-v5",
                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
    }

    private static MqttConnectionOptions v5Options(String user, String password) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        if (user != null) {
            options.setUserName(user);
            options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        return options;
    }

    @Test
    void mqtt311WithoutCredentialsIsNotAuthorized() throws Exception {
        MqttClient client = v3();
        MqttException refused = catchThrowableOfType(MqttException.class, () -> client.connect(v3Options(null, null)));
        assertThat(refused.getReasonCode()).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
        client.close();
    }

    @Test
    void mqtt311WithAWrongPasswordIsNotAuthorized() throws Exception {
        MqttClient client = v3();
        MqttException refused = catchThrowableOfType(MqttException.class,
                () -> client.connect(v3Options("alice", "wrong")));
        assertThat(refused.getReasonCode()).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
        client.close();
    }

    @Test
    void mqtt311WithTheRightPasswordConnectsAndPublishes() throws Exception {
        MqttClient client = v3();
        client.connect(v3Options("alice", "alice-pw"));
        assertThat(client.isConnected()).isTrue();
        client.publish("auth/test", "hello".getBytes(StandardCharsets.UTF_8), 1, false);
        client.disconnect();
        client.close();
    }

    @Test
    void mqtt5WithoutCredentialsGetsBadUserNameOrPassword() throws Exception {
        var client = v5();
        var refused = catchThrowableOfType(org.eclipse.paho.mqttv5.common.MqttException.class,
                () -> client.connect(v5Options(null, null)));
        assertThat(refused.getReasonCode()).isEqualTo(0x86);
        client.close();
    }

    @Test
    void mqtt5WithAWrongPasswordGetsBadUserNameOrPassword() throws Exception {
        var client = v5();
        var refused = catchThrowableOfType(org.eclipse.paho.mqttv5.common.MqttException.class,
                () -> client.connect(v5Options("alice", "wrong")));
        assertThat(refused.getReasonCode()).isEqualTo(0x86);
        client.close();
    }

    @Test
    void mqtt5WithTheRightPasswordConnects() throws Exception {
        var client = v5();
        client.connect(v5Options("alice", "alice-pw"));
        assertThat(client.isConnected()).isTrue();
        client.disconnect();
        client.close();
    }
}
