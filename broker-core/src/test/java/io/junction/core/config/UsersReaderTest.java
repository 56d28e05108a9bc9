package io.junction.core.config;

import io.junction.core.security.PasswordHash;
import io.junction.core.security.User;
import io.junction.core.security.Users;
import io.junction.core.security.UsersFile;
import org.junit.jupiter.api.Test;

import javax.security.auth.x500.X500Principal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UsersReaderTest {

    private static final String HASH = PasswordHash.create("pw".toCharArray(), 1000).encoded();

    @Test
    void readsUsersGroupsAndTheGuestMapping() {
        Users users = UsersReader.parse("users.yaml", """
                users:
                  - name: alice
                    password: "%s"
                    groups: [admins, apps]
                  - name: bob
                    password: "%s"
                anonymous:
                  enabled: true
                  user: guest
                  groups: [guests]
                """.formatted(HASH, HASH));

        assertThat(users.users()).containsOnlyKeys("alice", "bob");
        assertThat(users.user("alice").orElseThrow().groups()).containsExactly("admins", "apps");
        assertThat(users.user("bob").orElseThrow().groups()).isEmpty();
        assertThat(users.user("alice").orElseThrow().password().matches("pw".toCharArray())).isTrue();
        assertThat(users.anonymous()).isEqualTo(new Users.Guest(true, "guest", java.util.List.of("guests")));
    }

    @Test
    void aUserMayHaveItsOwnConnectionLimitWhichTheFileKeepsWhenRewritten() {
        Users users = UsersReader.parse("users.yaml", """
                users:
                  - name: alice
                    password: "%s"
                    maxConnections: 3
                  - name: bob
                    password: "%s"
                    maxConnections: 0
                  - name: carol
                    password: "%s"
                """.formatted(HASH, HASH, HASH));

        assertThat(users.user("alice").orElseThrow().maxConnections()).isEqualTo(3);
        assertThat(users.user("bob").orElseThrow().maxConnections()).isZero();
        assertThat(users.user("carol").orElseThrow().maxConnections()).isEqualTo(User.DEFAULT_LIMIT);
        Users again = UsersReader.parse("rewritten", UsersFile.render(users));
        assertThat(again.users()).isEqualTo(users.users());
    }

    @Test
    void aNegativeConnectionLimitIsRefusedWithFileAndLine() {
        assertThatThrownBy(() -> UsersReader.parse("conf/users.yaml", """
                users:
                  - name: alice
                    password: "%s"
                    maxConnections: -1
                """.formatted(HASH)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("conf/users.yaml:4: 'maxConnections' must be 0 (no limit) or a whole number of connections,"
                        + " was '-1'");
    }

    @Test
    void anEmptyFileHasNoUsersAndNoGuest() {
        Users users = UsersReader.parse("users.yaml", "# nothing yet\n");

        assertThat(users.users()).isEmpty();
        assertThat(users.anonymous()).isNull();
    }

    @Test
    void theGuestMappingIsOffUnlessEnabled() {
        Users users = UsersReader.parse("users.yaml", "anonymous:\n  user: visitor\n");

        assertThat(users.anonymous().enabled()).isFalse();
        assertThat(users.anonymous().user()).isEqualTo("visitor");
    }

    @Test
    void aPlainPasswordIsRefusedWithFileAndLine() {
        assertThatThrownBy(() -> UsersReader.parse("conf/users.yaml", """
                users:
                  - name: alice
                    password: secret
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage("conf/users.yaml:3: 'password' of user 'alice' is not a password hash "
                        + "(set passwords with: bin/junction users passwd alice)");
    }

    @Test
    void aUserListedTwiceIsRefused() {
        assertThatThrownBy(() -> UsersReader.parse("users.yaml", """
                users:
                  - name: alice
                    password: "%s"
                  - name: alice
                    password: "%s"
                """.formatted(HASH, HASH)))
                .hasMessage("users.yaml:4: user 'alice' is listed twice (first on line 2)");
    }

    @Test
    void unknownKeysBadNamesAndBrokenYamlNameTheirLine() {
        assertThatThrownBy(() -> UsersReader.parse("users.yaml", """
                users:
                  - name: alice
                    pasword: x
                """)).hasMessageStartingWith("users.yaml:3: unknown key 'pasword'");
        assertThatThrownBy(() -> UsersReader.parse("users.yaml", """
                users:
                  - name: "al ice"
                    password: "%s"
                """.formatted(HASH))).hasMessageStartingWith("users.yaml:2: 'name' must be a user name");
        assertThatThrownBy(() -> UsersReader.parse("users.yaml", """
                users:
                  - name: alice
                    password: "%s"
                    groups: [a b]
                """.formatted(HASH))).hasMessageStartingWith("users.yaml:4: 'groups' must be a group name");
        assertThatThrownBy(() -> UsersReader.parse("users.yaml", "users:\n  - name: [\n"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("users.yaml:");
        assertThatThrownBy(() -> UsersReader.parse("users.yaml", "users:\n  - password: x\n"))
                .hasMessageStartingWith("users.yaml:2: users[0] is missing required key 'name'");
    }

    @Test
    void aBadAclIsRefusedWithFileAndLine() {
        assertThatThrownBy(() -> UsersReader.parse("conf/users.yaml", """
                acls:
                  - match: orders.>.eu
                    read: [apps]
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("conf/users.yaml:2:");
        assertThatThrownBy(() -> UsersReader.parse("conf/users.yaml", """
                acls:
                  - match: orders
                    type: mailbox
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("conf/users.yaml:3:");
        assertThatThrownBy(() -> UsersReader.parse("conf/users.yaml", """
                acls:
                  - match: orders
                    reed: [apps]
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("conf/users.yaml:3:");
    }

    @Test
    void aUserMayLogInByCertificateWithOrWithoutAPassword() {
        Users users = UsersReader.parse("users.yaml", """
                users:
                  - name: sensor-17
                    certificate: "CN=sensor-17, O=Example"
                    groups: [sensors]
                  - name: ops
                    password: "%s"
                    certificate: "CN=ops,O=Example"
                """.formatted(HASH));

        assertThat(users.user("sensor-17").orElseThrow().password()).isNull();
        // Compared as X.500 names: spacing and letter case do not matter.
        assertThat(users.userWithCertificate(new X500Principal("cn=Sensor-17,o=example")).orElseThrow().name())
                .isEqualTo("sensor-17");
        assertThat(users.userWithCertificate(new X500Principal("CN=ops,O=Example")).orElseThrow().password()).isNotNull();
        assertThat(users.userWithCertificate(new X500Principal("CN=stranger,O=Example"))).isEmpty();
        assertThat(users.userWithCertificate(new X500Principal("O=Example,CN=ops"))).as("another order").isEmpty();
    }

    @Test
    void aUserWithNeitherPasswordNorCertificateIsRefusedWithFileAndLine() {
        assertThatThrownBy(() -> UsersReader.parse("conf/users.yaml", """
                users:
                  - name: alice
                    password: "%s"
                  - name: nobody
                    groups: [apps]
                """.formatted(HASH)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("conf/users.yaml:4: user 'nobody' has neither a 'password' nor a 'certificate'");
    }

    @Test
    void twoUsersWithTheSameCertificateSubjectAreRefused() {
        assertThatThrownBy(() -> UsersReader.parse("conf/users.yaml", """
                users:
                  - name: a
                    certificate: "CN=sensor,O=Example"
                  - name: b
                    certificate: "cn=SENSOR, o=Example"
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("conf/users.yaml:5: certificate subject 'cn=SENSOR, o=Example' of user 'b' "
                        + "is user 'a''s already");
    }

    @Test
    void aCertificateThatIsNotADistinguishedNameIsRefused() {
        assertThatThrownBy(() -> UsersReader.parse("conf/users.yaml", """
                users:
                  - name: a
                    certificate: "sensor-17"
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("conf/users.yaml:3: 'certificate' must be a certificate subject");
    }

    @Test
    void theUsersFileKeepsCertificatesWhenWrittenAgain() {
        Users users = UsersReader.parse("users.yaml", """
                users:
                  - name: sensor-17
                    certificate: 'CN=sensor-17,O=Example\\, Inc.,OU=R\\"D' 
                  - name: ops
                    password: "%s"
                    certificate: "CN=ops"
                """.formatted(HASH));

        Users again = UsersReader.parse("users.yaml", io.junction.core.security.UsersFile.render(users));

        assertThat(again.users()).isEqualTo(users.users());
        assertThat(again.user("sensor-17").orElseThrow().certificate())
                .isEqualTo(new X500Principal("CN=sensor-17,O=Example\\, Inc.,OU=R\\\"D"));
    }
}
