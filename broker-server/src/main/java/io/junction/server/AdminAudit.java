package io.junction.server;

import io.junction.core.config.BrokerConfig;
import io.junction.core.security.Authenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admin actions of the command line in the broker's audit log (the same {@code audit.log} under the
 * configured data directory), with the operating-system user who ran them; never a password.
 */
final class AdminAudit {

    private static final Logger audit = LoggerFactory.getLogger(Authenticator.AUDIT_LOGGER);

    private AdminAudit() {
    }

    /** Sends the command's log lines to the data directory of the configuration it acts on. */
    static void logTo(BrokerConfig config) {
        Logging.useDirectory(config.broker().dataDirectory().resolve("log"));
    }

    /** One line: {@code ADMIN action=<action> <details> by=<os user>}. */
    static void record(String action, String details) {
        audit.info("ADMIN action={} {} by={}", action, details, System.getProperty("user.name"));
    }
}
