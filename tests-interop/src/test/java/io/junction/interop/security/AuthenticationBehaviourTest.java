package io.junction.interop.security;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.junction.core.config.UsersReader;
import io.junction.core.security.Authenticator;
import io.junction.core.security.PasswordHash;
import io.junction.core.security.User;
import io.junction.core.security.Users;
import io.junction.core.security.UsersFile;
import io.junction.interop.raw.RawFrame;
import io.junction.interop.raw.RawStompClient;
import io.junction.interop.support.AuditLines;
import io.junction.interop.support.EmbeddedBroker;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What all protocols share, shown with STOMP and MQTT: users.yaml reloaded while clients stay
 * connected (an invalid edit keeps the previous users), failed logins delayed more each time per
 * address, the audit log lines, and anonymous access on a loopback listener by default.
 */
@Timeout(120)
class AuthenticationBehaviourTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker()
            .withUser("alice", "alice-pw", "apps")
            .withListenerSettings("allowAnonymous: false");

    @RegisterExtension
    final AuditLines audit = new AuditLines();

    private RawFrame connect(String login, String passcode) throws IOException {
        try (RawStompClient client = RawStompClient.open(broker.stompPort())) {
            client.write(RawStompClient.frame("CONNECT", "accept-version:1.2", "host:localhost", "login:" + login,
                    "passcode:" + passcode));
            return client.readFrame(Duration.ofSeconds(15));
        }
    }

    @Test
    void aUserAddedToTheFileLogsInWithinSecondsWhileOthersStayConnected() throws Exception {
        try (RawStompClient alice = RawStompClient.connected(broker.stompPort(), "1.2", "login:alice",
                "passcode:alice-pw")) {
            alice.write(RawStompClient.frame("SUBSCRIBE", "destination:/queue/reload", "id:1", "receipt:sub"));
            assertThat(alice.readFrame().command()).isEqualTo("RECEIPT");

            Users users = UsersReader.read(broker.usersFile());
            UsersFile.write(broker.usersFile(), users.with(new User("bob",
                    PasswordHash.create("bob-pw".toCharArray(), 1000), List.of("apps"))));

            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300))
                    .until(() -> connect("bob", "bob-pw").command().equals("CONNECTED"));
            try (RawStompClient bob = RawStompClient.connected(broker.stompPort(), "1.2", "login:bob",
                    "passcode:bob-pw")) {
                bob.write(RawStompClient.frameWithBody("SEND", "from bob", "destination:/queue/reload"));
                RawFrame message = alice.readFrame();
                assertThat(message.command()).isEqualTo("MESSAGE");
                assertThat(message.bodyText()).isEqualTo("from bob");
            }
        }
    }

    @Test
    void anInvalidEditKeepsThePreviousUsersWithAnErrorNamingFileAndLine() throws Exception {
        Logger authenticatorLog = (Logger) LoggerFactory.getLogger(Authenticator.class);
        ListAppender<ILoggingEvent> errors = new ListAppender<>();
        errors.start();
        authenticatorLog.addAppender(errors);
        try {
            Files.writeString(broker.usersFile(), "users:\n  - name: alice\n    password: plain-text\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> errors.list.stream()
                    .anyMatch(event -> event.getLevel() == Level.ERROR));
        } finally {
            authenticatorLog.detachAppender(errors);
        }
        ILoggingEvent error = errors.list.stream().filter(event -> event.getLevel() == Level.ERROR).findFirst()
                .orElseThrow();
        assertThat(error.getFormattedMessage()).contains(broker.usersFile() + ":3: 'password' of user 'alice' is "
                + "not a password hash").doesNotContain("plain-text");
        assertThat(broker.server().authenticator().users().user("alice")).isPresent();
        assertThat(connect("alice", "alice-pw").command()).isEqualTo("CONNECTED");
        assertThat(connect("alice", "plain-text").command()).isEqualTo("ERROR");
    }

    @Test
    void eachFailedLoginFromAnAddressIsRefusedLaterThanTheOneBefore() throws Exception {
        long[] millis = new long[3];
        for (int i = 0; i < millis.length; i++) {
            long start = System.nanoTime();
            assertThat(connect("alice", "wrong-" + i).command()).isEqualTo("ERROR");
            millis[i] = (System.nanoTime() - start) / 1_000_000;
        }
        long base = Authenticator.FAILED_LOGIN_BASE_DELAY_MILLIS;
        assertThat(millis[0]).isGreaterThanOrEqualTo(base - 20);
        assertThat(millis[1]).isGreaterThanOrEqualTo(2 * base - 20);
        assertThat(millis[2]).isGreaterThanOrEqualTo(4 * base - 20);
        // After the last refusal the right password works again, and forgets the failures.
        assertThat(connect("alice", "alice-pw").command()).isEqualTo("CONNECTED");
        assertThat(broker.server().authenticator().failedLogins(
                new java.net.InetSocketAddress("127.0.0.1", 1))).isZero();
    }

    @Test
    void whileARefusalIsPendingEvenTheRightPasswordIsRefused() throws Exception {
        try (RawStompClient guesser = RawStompClient.open(broker.stompPort())) {
            guesser.write(RawStompClient.frame("CONNECT", "accept-version:1.2", "host:localhost", "login:alice",
                    "passcode:guess"));
            await().atMost(Duration.ofSeconds(5)).until(() -> audit.lines().size() == 1);
            // A second connection from the same address, during the first one's delay.
            assertThat(connect("alice", "alice-pw").command()).isEqualTo("ERROR");
            assertThat(guesser.readFrame().command()).isEqualTo("ERROR");
        }
        assertThat(audit.lines().get(1)).contains("too many failed logins");
    }

    @Test
    void theAuditLogHasEveryDecisionWithoutSecrets() throws Exception {
        assertThat(connect("alice", "alice-pw").command()).isEqualTo("CONNECTED");
        assertThat(connect("alice", "secret-guess").command()).isEqualTo("ERROR");
        MqttClient mqtt = new MqttClient(broker.mqttUri(), "audit", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName("alice");
        options.setPassword("alice-pw".toCharArray());
        mqtt.connect(options);
        mqtt.disconnect();
        mqtt.close();

        List<String> lines = audit.lines();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("AUTH OK user=alice groups=[apps] remote=/127.0.0.1:")
                .endsWith("protocol=stomp listener=stomp method=password");
        assertThat(lines.get(1)).startsWith("AUTH FAILED user=alice remote=/127.0.0.1:")
                .contains("protocol=stomp listener=stomp", "reason=\"unknown user or wrong password\"");
        assertThat(lines.get(2)).startsWith("AUTH OK user=alice").endsWith("protocol=mqtt listener=mqtt method=password");
        assertThat(String.join("\n", lines)).doesNotContain("alice-pw", "secret-guess", "PBKDF2");
    }
}
