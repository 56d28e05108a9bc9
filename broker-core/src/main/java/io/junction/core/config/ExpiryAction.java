package io.junction.core.config;

import java.util.Optional;

/** What happens to a message whose time to live has passed. */
public enum ExpiryAction {
    /** Discard it. */
    DROP("drop"),
    /** Move it to the policy's expiry queue, so it can be inspected. */
    EXPIRY_QUEUE("expiryQueue"),
    ;

    static final String NAMES = "drop, expiryQueue";

    private final String yamlName;

    ExpiryAction(String yamlName) {
        this.yamlName = yamlName;
    }

    static Optional<ExpiryAction> byYamlName(String name) {
        for (ExpiryAction action : values()) {
            if (action.yamlName.equals(name)) {
                return Optional.of(action);
            }
        }
        return Optional.empty();
    }
}
