package io.junction.bench;

/** Progress lines of a benchmark on stderr, tagged with its name, so that stdout carries the results only. */
public record Progress(String tag) {

    public void log(String format, Object... args) {
        System.err.printf("[" + tag + "] " + format + "%n", args);
    }
}
