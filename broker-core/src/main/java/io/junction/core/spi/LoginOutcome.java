package io.junction.core.spi;

import io.netty.channel.Channel;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;

/**
 * What a protocol does once {@link ProtocolContext#authenticate} has decided, run on the
 * connection's event loop: at once when the decision was made at once (anonymous, a cached
 * password, a refusal while the address is locked), else when the password check finishes on the
 * authenticator's threads. Nothing runs when the channel closed meanwhile: the protocol's
 * {@code channelInactive} has released what the connection held.
 */
@FunctionalInterface
public interface LoginOutcome {

    /**
     * @param principal who the client is, or null when refused
     * @param refusal   why the client is refused, or null when accepted
     */
    void decided(Principal principal, AuthenticationException refusal);

    /** Calls {@code then} on the channel's event loop when {@code login} completes. */
    static void onEventLoop(Channel channel, CompletionStage<Principal> login, LoginOutcome then) {
        login.whenComplete((principal, failure) -> {
            Runnable decided = () -> {
                if (channel.isActive()) {
                    then.decided(failure == null ? principal : null,
                            failure == null ? null : AuthenticationException.of(failure));
                }
            };
            if (channel.eventLoop().inEventLoop()) {
                decided.run();
            } else {
                try {
                    channel.eventLoop().execute(decided);
                } catch (RejectedExecutionException stopping) {
                    // The event loop is shutting down with the broker: the connection goes with it.
                }
            }
        });
    }
}
