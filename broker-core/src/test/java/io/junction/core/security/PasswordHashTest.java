package io.junction.core.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordHashTest {

    @Test
    void theRightPasswordMatchesAndAWrongOneDoesNot() {
        PasswordHash hash = PasswordHash.create("s3cret".toCharArray(), 1000);

        assertThat(hash.matches("s3cret".toCharArray())).isTrue();
        assertThat(hash.matches("s3creT".toCharArray())).isFalse();
        assertThat(hash.matches("".toCharArray())).isFalse();
        assertThat(hash.matches(null)).isFalse();
    }

    @Test
    void theStoredFormNamesAlgorithmIterationsSaltAndHashAndNeverThePassword() {
        PasswordHash hash = PasswordHash.create("s3cret".toCharArray(), 1234);
        String stored = hash.encoded();

        assertThat(stored).startsWith("PBKDF2WithHmacSHA256:1234:").doesNotContain("s3cret");
        assertThat(stored.split(":")).hasSize(4);
        PasswordHash read = PasswordHash.parse(stored).orElseThrow();
        assertThat(read).isEqualTo(hash);
        assertThat(read.matches("s3cret".toCharArray())).isTrue();
    }

    @Test
    void eachHashHasItsOwnSalt() {
        String a = PasswordHash.create("same".toCharArray(), 1000).encoded();
        String b = PasswordHash.create("same".toCharArray(), 1000).encoded();

        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void newHashesUseTheDefaultIterations() {
        assertThat(PasswordHash.DEFAULT_ITERATIONS).isGreaterThanOrEqualTo(600_000);
    }

    @Test
    void malformedStoredFormsAreNotRead() {
        assertThat(PasswordHash.parse("plain-password")).isEmpty();
        assertThat(PasswordHash.parse("MD5:1000:AAAAAAAAAAA=:AAAAAAAAAAAAAAAAAAAAAA==")).isEmpty();
        assertThat(PasswordHash.parse("PBKDF2WithHmacSHA256:10:AAAAAAAAAAA=:AAAAAAAAAAAAAAAAAAAAAA==")).isEmpty();
        assertThat(PasswordHash.parse("PBKDF2WithHmacSHA256:x:AAAAAAAAAAA=:AAAAAAAAAAAAAAAAAAAAAA==")).isEmpty();
        assertThat(PasswordHash.parse("PBKDF2WithHmacSHA256:1000:!!:AAAAAAAAAAAAAAAAAAAAAA==")).isEmpty();
    }
}
