package io.junction.core.security;

import io.junction.core.config.UsersReader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UsersChangeTest {

    private static final String ALICE = "PBKDF2WithHmacSHA256:1000:c2FsdHNhbHRzYWx0:"
            + "aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=";
    private static final String ALICE_NEW = "PBKDF2WithHmacSHA256:1000:c2FsdHNhbHRzYWx0:"
            + "b3RoZXJvdGhlcm90aGVyb3RoZXJvdGhlcm90aGVyb3Q=";

    private static Users users(String yaml) {
        return UsersReader.parse("users.yaml", yaml);
    }

    @Test
    void namesWhatChangedWithoutHashes() {
        Users before = users("""
                users:
                  - name: alice
                    password: "%s"
                    groups: [apps]
                  - name: carol
                    password: "%s"
                """.formatted(ALICE, ALICE));
        Users after = users("""
                users:
                  - name: alice
                    password: "%s"
                    groups: [apps, ops]
                  - name: bob
                    password: "%s"
                acls:
                  - match: ">"
                    read: ["*"]
                """.formatted(ALICE_NEW, ALICE));
        String change = UsersChange.describe(before, after);
        assertThat(change).isEqualTo("added=[bob] removed=[carol] password=[alice] groups=[alice] acls=0->1");
        assertThat(change).doesNotContain("PBKDF2");
    }

    @Test
    void sameContentIsNone() {
        Users users = users("users: []\n");
        assertThat(UsersChange.describe(users, users("users: []\n"))).isEqualTo("none");
    }
}
