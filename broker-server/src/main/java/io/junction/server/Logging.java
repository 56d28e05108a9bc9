package io.junction.server;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * Points the broker's log file at its data directory. {@code conf/logback.xml} reads the directory
 * from {@code junction.logDir}, but logback configures itself at the first logger, which loading
 * the configuration already creates; so once the data directory is known the configuration is
 * loaded again.
 */
final class Logging {

    private static final String LOG_DIRECTORY = "junction.logDir";

    private Logging() {
    }

    /**
     * Until a broker runs, log files go under the installation's default data directory, never
     * into whatever directory the command was started from.
     */
    static void useDefaultDirectory() {
        if (System.getProperty(LOG_DIRECTORY) == null) {
            System.setProperty(LOG_DIRECTORY, BrokerOptions.home().resolve("data").resolve("log").toString());
        }
    }

    /** Reloads the logging configuration with the log file in {@code directory}. */
    static void useDirectory(Path directory) {
        System.setProperty(LOG_DIRECTORY, directory.toString());
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.reset();
            try {
                new ContextInitializer(context).autoConfig();
            } catch (JoranException e) {
                throw new CommandFailure("cannot configure logging: " + e.getMessage(), 1);
            }
        }
    }

    /** Flushes and closes the log files; the last step of a broker's shutdown, so that no line is lost. */
    static void stop() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}
