package io.junction.bench.loadgen;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Client identifiers and topic suffix of one scenario run: {@code lg<run><role><n>}, under the 23
 * characters every MQTT 3.1.1 broker must accept, with a random 5-character run, so that runs never
 * see each other's sessions or messages.
 */
record ClientIds(String run) {

    static ClientIds fresh() {
        long fiveDigits = ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36, 36L * 36 * 36 * 36 * 36);
        return new ClientIds(Long.toString(fiveDigits, 36));
    }

    String of(String role, int n) {
        return "lg" + run + role + n;
    }
}
