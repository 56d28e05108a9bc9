package io.junction.core.security;

import io.junction.core.config.ConfigException;
import io.junction.core.config.ListenerConfig;
import io.junction.core.config.SecurityConfig;
import io.junction.core.config.Transport;
import io.junction.core.config.UsersReader;
import io.junction.core.model.Destination;
import io.junction.core.model.DestinationType;
import io.junction.core.security.Acls.Action;
import io.junction.core.spi.Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AclsTest {

    private static final Principal ALICE = new Principal("alice", Set.of("apps"), false);
    private static final Principal BOB = new Principal("bob", Set.of("ops"), false);
    private static final Principal GUEST = new Principal("guest", Set.of(), true);

    @TempDir
    Path dir;

    private static Acls acls(String yaml) {
        return UsersReader.parse("users.yaml", yaml).acls();
    }

    @Test
    void noAclsAllowEverything() {
        Acls none = acls("users: []\n");
        assertThat(none.isEmpty()).isTrue();
        assertThat(none.allows(GUEST, Action.ADMIN, Destination.queue("anything"))).isTrue();
    }

    @Test
    void aDestinationNoEntryMatchesIsRefusedOnceThereIsAnAcl() {
        Acls acls = acls("""
                acls:
                  - match: orders
                    type: queue
                    read: [apps]
                """);
        assertThat(acls.allows(ALICE, Action.READ, Destination.queue("orders"))).isTrue();
        assertThat(acls.allows(ALICE, Action.READ, Destination.queue("invoices"))).isFalse();
        assertThat(acls.allows(ALICE, Action.READ, Destination.topic("orders"))).as("type queue only").isFalse();
        assertThat(acls.allows(ALICE, Action.WRITE, Destination.queue("orders"))).as("no write granted").isFalse();
    }

    @Test
    void temporaryDestinationsAreMatchedOnlyByTheTemporaryEntry() {
        Acls acls = acls("""
                acls:
                  - match: ">"
                    read: ["*"]
                    write: ["*"]
                    admin: ["*"]
                  - match: ">"
                    type: temporary
                    write: [ops]
                    admin: [apps]
                """);
        Destination temporaryQueue = new Destination(DestinationType.TEMP_QUEUE, "c1.replies");
        Destination temporaryTopic = new Destination(DestinationType.TEMP_TOPIC, "c1.events");
        assertThat(acls.allows(ALICE, Action.ADMIN, temporaryQueue)).isTrue();
        assertThat(acls.allows(ALICE, Action.ADMIN, temporaryTopic)).isTrue();
        assertThat(acls.allows(BOB, Action.ADMIN, temporaryQueue)).as("'>' of type any is not about them").isFalse();
        assertThat(acls.allows(BOB, Action.WRITE, temporaryQueue)).isTrue();
        assertThat(acls.allows(ALICE, Action.WRITE, temporaryQueue)).isFalse();
        assertThat(acls.allows(BOB, Action.ADMIN, Destination.queue("orders"))).isTrue();
        assertThat(acls("""
                acls:
                  - match: ">"
                    read: ["*"]
                """).allows(ALICE, Action.ADMIN, temporaryQueue)).as("no temporary entry: default deny").isFalse();
    }

    @Test
    void aTemporaryEntryMatchesEverything() {
        assertThatThrownBy(() -> acls("""
                acls:
                  - match: replies.>
                    type: temporary
                    admin: [apps]
                """)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("users.yaml:2:")
                .hasMessageContaining("for type temporary");
    }

    @Test
    void usersGroupsAndEveryone() {
        Acls acls = acls("""
                acls:
                  - match: orders.>
                    read: [apps, "user:bob"]
                    write: [user:alice]
                    admin: ["*"]
                """);
        Destination orders = Destination.queue("orders.eu");
        assertThat(acls.allows(ALICE, Action.READ, orders)).as("by group").isTrue();
        assertThat(acls.allows(BOB, Action.READ, orders)).as("by user").isTrue();
        assertThat(acls.allows(GUEST, Action.READ, orders)).isFalse();
        assertThat(acls.allows(ALICE, Action.WRITE, orders)).isTrue();
        assertThat(acls.allows(BOB, Action.WRITE, orders)).isFalse();
        assertThat(acls.allows(GUEST, Action.ADMIN, orders)).as("everyone").isTrue();
    }

    @Test
    void patternsMatchWordsAndTheFirstMatchingEntryDecides() {
        Acls acls = acls("""
                acls:
                  - match: sensors.secret.>
                    type: topic
                    read: [ops]
                  - match: sensors.*.temp
                    type: topic
                    read: [apps, ops]
                  - match: sensors.>
                    type: topic
                    read: [ops]
                """);
        assertThat(acls.allows(ALICE, Action.READ, Destination.topic("sensors.a.temp"))).isTrue();
        assertThat(acls.allows(ALICE, Action.READ, Destination.topic("sensors.a.b.temp"))).isFalse();
        assertThat(acls.allows(ALICE, Action.READ, Destination.topic("sensors.secret.temp"))).as("first entry decides")
                .isFalse();
        assertThat(acls.allows(BOB, Action.READ, Destination.topic("sensors"))).as("> matches no word too").isTrue();
        // Wildcard subscriptions are checked as patterns: every topic they can match must be allowed.
        assertThat(acls.allows(ALICE, Action.READ, Destination.topic("sensors.*.temp"))).isTrue();
        assertThat(acls.allows(ALICE, Action.READ, Destination.topic("sensors.>"))).isFalse();
        assertThat(acls.allows(BOB, Action.READ, Destination.topic("sensors.>"))).isTrue();
        assertThat(acls.allows(BOB, Action.READ, Destination.topic("sensors.*.temp"))).isTrue();
    }

    @Test
    void coversComparesPatternsWordByWord() {
        assertThat(Acls.covers("a.*".split("\\."), 0, "a.*".split("\\."), 0)).isTrue();
        assertThat(Acls.covers("a.*".split("\\."), 0, "a.>".split("\\."), 0)).isFalse();
        assertThat(Acls.covers(">".split("\\."), 0, "x.>".split("\\."), 0)).isTrue();
        assertThat(Acls.covers("a.b".split("\\."), 0, "a.*".split("\\."), 0)).isFalse();
        assertThat(Acls.covers("a.b".split("\\."), 0, "a.b.c".split("\\."), 0)).isFalse();
    }

    @Test
    void theAclsReloadWithTheUsersFile() throws Exception {
        Path file = dir.resolve("users.yaml");
        Files.writeString(file, "acls:\n  - match: orders\n    read: [apps]\n");
        Authenticator authenticator = new Authenticator(new SecurityConfig(file, Map.of()),
                List.of(new ListenerConfig("local", List.of("stomp"), Transport.TCP, "127.0.0.1", 0, true)));
        authenticator.load();
        assertThat(authenticator.users().acls().allows(ALICE, Action.READ, Destination.queue("orders"))).isTrue();

        Files.writeString(file, "acls:\n  - match: orders\n    read: [ops]\n");
        assertThat(authenticator.reloadIfChanged()).isTrue();
        assertThat(authenticator.users().acls().allows(ALICE, Action.READ, Destination.queue("orders"))).isFalse();

        Files.writeString(file, "acls:\n  - match: orders\n    read: [\"bad name!\"]\n");
        assertThat(authenticator.reloadIfChanged()).as("an invalid edit keeps the ACLs in force").isFalse();
        assertThat(authenticator.users().acls().allows(BOB, Action.READ, Destination.queue("orders"))).isTrue();
    }

    @Test
    void theUsersCommandKeepsTheAcls() {
        Users users = UsersReader.parse("users.yaml", """
                acls:
                  - match: orders.>
                    type: queue
                    read: [apps, "user:bob"]
                    write: ["*"]
                """);
        Users again = UsersReader.parse("users.yaml", UsersFile.render(users));
        assertThat(again.acls()).isEqualTo(users.acls());
    }
}
