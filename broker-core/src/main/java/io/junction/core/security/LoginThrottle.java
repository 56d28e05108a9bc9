package io.junction.core.security;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Failed logins per remote address (the host, not the port). Each failure doubles the delay
 * before the refusal is sent, from {@code baseDelay} up to {@code maxDelay}; while a delay runs,
 * further attempts from the same address are refused at once, without checking a password, so
 * that parallel connections gain nothing. A success, or a quiet period of {@link #FORGET_AFTER_MILLIS},
 * forgets the address.
 */
final class LoginThrottle {

    static final long FORGET_AFTER_MILLIS = TimeUnit.MINUTES.toMillis(5);

    private record State(int failures, long lastFailureMillis, long lockedUntilMillis) {
    }

    private final ConcurrentHashMap<String, State> byAddress = new ConcurrentHashMap<>();
    private final long baseDelayMillis;
    private final long maxDelayMillis;
    private final LongSupplier clock;

    LoginThrottle(long baseDelayMillis, long maxDelayMillis, LongSupplier clockMillis) {
        this.baseDelayMillis = baseDelayMillis;
        this.maxDelayMillis = maxDelayMillis;
        this.clock = clockMillis;
    }

    /** Milliseconds the address must still wait before its next attempt is checked; 0 when none. */
    long lockedFor(SocketAddress address) {
        State state = byAddress.get(key(address));
        return state == null ? 0 : Math.max(0, state.lockedUntilMillis - clock.getAsLong());
    }

    /** Records a failure; returns how long to delay its refusal. */
    long failed(SocketAddress address) {
        long now = clock.getAsLong();
        State state = byAddress.compute(key(address), (k, old) -> {
            int failures = old == null || now - old.lastFailureMillis > FORGET_AFTER_MILLIS ? 1 : old.failures + 1;
            long delay = delayAfter(failures);
            return new State(failures, now, now + delay);
        });
        prune(now);
        return state.lockedUntilMillis - now;
    }

    /** Consecutive failures recorded for the address. */
    int failures(SocketAddress address) {
        State state = byAddress.get(key(address));
        return state == null ? 0 : state.failures;
    }

    void succeeded(SocketAddress address) {
        byAddress.remove(key(address));
    }

    long delayAfter(int failures) {
        long delay = baseDelayMillis;
        for (int i = 1; i < failures && delay < maxDelayMillis; i++) {
            delay *= 2;
        }
        return Math.min(delay, maxDelayMillis);
    }

    private void prune(long now) {
        if (byAddress.size() > 10_000) {
            byAddress.values().removeIf(state -> now - state.lastFailureMillis > FORGET_AFTER_MILLIS);
        }
    }

    private static String key(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            InetAddress ip = inet.getAddress();
            return ip != null ? ip.getHostAddress() : inet.getHostString();
        }
        return String.valueOf(address);
    }
}
