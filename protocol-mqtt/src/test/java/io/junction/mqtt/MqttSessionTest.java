package io.junction.mqtt;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MqttSessionTest {

    @Test
    void storedFormKeepsSubscriptionsAndQos2State() throws Exception {
        MqttSession session = new MqttSession("device-1", 3600);
        session.subscriptions.put("a/+/c", new MqttSession.SubscriptionOptions(1, true, false, 2, 7));
        session.subscriptions.put("$share/g/jobs", new MqttSession.SubscriptionOptions(2, false, true, 0, 0));
        session.awaitingRelease.add(12);
        session.releasing.add(65_535);

        MqttSession.Stored stored = MqttSession.decode("device-1", session.encode(1234L));

        MqttSession back = stored.session();
        assertThat(stored.disconnectedAt()).isEqualTo(1234L);
        assertThat(back.clientId).isEqualTo("device-1");
        assertThat(back.expirySeconds).isEqualTo(3600);
        assertThat(back.subscriptions).containsExactlyEntriesOf(session.subscriptions);
        assertThat(back.awaitingRelease).containsExactly(12);
        assertThat(back.releasing).containsExactly(65_535);
        assertThat(back.persistent()).isTrue();
        assertThat(new MqttSession("x", 0).persistent()).isFalse();
    }
}
