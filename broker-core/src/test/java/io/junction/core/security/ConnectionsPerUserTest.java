package io.junction.core.security;

import io.junction.core.spi.TooManyConnectionsException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectionsPerUserTest {

    private static final PasswordHash HASH = PasswordHash.create("pw".toCharArray(), 1000);

    private static Users users(User... list) {
        return Users.of(List.of(list), null);
    }

    @Test
    void theBrokerWideLimitRefusesOneMoreAndAClosedConnectionMakesRoom() throws Exception {
        ConnectionsPerUser limits = new ConnectionsPerUser(2, () -> Users.NONE);
        limits.opened("alice");
        limits.opened("alice");
        assertThatThrownBy(() -> limits.opened("alice")).isInstanceOf(TooManyConnectionsException.class)
                .hasMessage("user 'alice' has 2 connections open, as many as it may");
        assertThat(limits.openConnections("alice")).isEqualTo(2);
        limits.opened("bob");

        limits.closed("alice");
        limits.opened("alice");
        assertThat(limits.openConnections("alice")).isEqualTo(2);
    }

    @Test
    void aUsersOwnLimitOverridesTheBrokerWideOneAndZeroMeansNone() throws Exception {
        AtomicReference<Users> file = new AtomicReference<>(users(new User("alice", HASH, List.of(), 1),
                new User("root", HASH, List.of(), 0), new User("bob", HASH, List.of())));
        ConnectionsPerUser limits = new ConnectionsPerUser(2, file::get);
        limits.opened("alice");
        assertThatThrownBy(() -> limits.opened("alice")).isInstanceOf(TooManyConnectionsException.class)
                .hasMessage("user 'alice' has 1 connection open, as many as it may");
        for (int i = 0; i < 5; i++) {
            limits.opened("root");
        }
        limits.opened("bob");
        limits.opened("bob");
        assertThatThrownBy(() -> limits.opened("bob")).isInstanceOf(TooManyConnectionsException.class);

        // A reloaded users file applies to the next connection.
        file.set(users(new User("alice", HASH, List.of(), 3)));
        limits.opened("alice");
        assertThat(limits.openConnections("alice")).isEqualTo(2);
    }

    @Test
    void withoutALimitConnectionsAreStillCountedAndNoneLeftMeansNoEntry() throws Exception {
        ConnectionsPerUser limits = new ConnectionsPerUser(0, () -> Users.NONE);
        for (int i = 0; i < 100; i++) {
            limits.opened("anonymous");
        }
        assertThat(limits.openConnections("anonymous")).isEqualTo(100);
        for (int i = 0; i < 100; i++) {
            limits.closed("anonymous");
        }
        assertThat(limits.openConnections("anonymous")).isZero();
        limits.closed("anonymous");
        assertThat(limits.openConnections("anonymous")).isZero();
    }

    @Test
    void concurrentOpeningsNeverAdmitMoreThanTheLimit() throws Exception {
        int limit = 10;
        ConnectionsPerUser limits = new ConnectionsPerUser(limit, () -> Users.NONE);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> tasks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            tasks.add(threads.submit(() -> {
                start.await();
                for (int n = 0; n < 1000; n++) {
                    try {
                        limits.opened("alice");
                        assertThat(limits.openConnections("alice")).isLessThanOrEqualTo(limit);
                        limits.closed("alice");
                    } catch (TooManyConnectionsException refused) {
                        // another thread holds the room; try again
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> task : tasks) {
            task.get(30, TimeUnit.SECONDS);
        }
        threads.shutdown();
        assertThat(limits.openConnections("alice")).isZero();
    }
}
