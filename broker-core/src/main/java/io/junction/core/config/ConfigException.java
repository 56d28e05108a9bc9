package io.junction.core.config;

import java.nio.file.Path;

/**
 * A problem in the broker configuration, reported on one line as
 * {@code <file>:<line>: <what is wrong> (<hint>)} so start-up can print it as is.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;

    private ConfigException(String message, String file, int line, Throwable cause) {
        super(message, cause);
        this.file = file;
        this.line = line;
    }

    /**
     * A problem at a place in the file.
     *
     * @param line 1-based; 0 when the problem concerns the whole file
     * @param hint how to fix it, or {@code null}
     */
    static ConfigException at(String file, int line, String problem, String hint) {
        String place = line > 0 ? file + ":" + line : file;
        String text = place + ": " + problem + (hint == null ? "" : " (" + hint + ")");
        return new ConfigException(oneLine(text), file, line, null);
    }

    static ConfigException notFound(Path file) {
        return new ConfigException("config file not found: " + file, file.toString(), 0, null);
    }

    static ConfigException unreadable(Path file, Exception cause) {
        String text = "cannot read config file " + file + ": " + cause.getMessage();
        return new ConfigException(oneLine(text), file.toString(), 0, cause);
    }

    /** The file as it was named to the loader. */
    public String file() {
        return file;
    }

    /** The 1-based line of the problem, or 0 when it concerns the whole file. */
    public int line() {
        return line;
    }

    // Values quoted from the file may hold line breaks; the contract is one line per problem.
    private static String oneLine(String text) {
        return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n");
    }
}
