package io.junction.interop.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.junction.core.security.Authenticator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The lines the embedded broker writes to its audit logger during each test, as they would appear
 * in {@code audit.log} (without the time stamp). Register it with {@code @RegisterExtension}.
 */
public final class AuditLines implements BeforeEachCallback, AfterEachCallback {

    private final Logger audit = (Logger) LoggerFactory.getLogger(Authenticator.AUDIT_LOGGER);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private Level level;

    @Override
    public void beforeEach(ExtensionContext context) {
        level = audit.getLevel();
        audit.setLevel(Level.INFO);
        appender.list.clear();
        appender.start();
        audit.addAppender(appender);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        audit.detachAppender(appender);
        appender.stop();
        audit.setLevel(level);
    }

    /** The lines so far, in order. */
    public List<String> lines() {
        // ListAppender appends under its own lock (AppenderBase.doAppend is synchronized).
        synchronized (appender) {
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }
}
