package io.junction.server;

/** A command failed for a reason the user can act on; printed as one line, no stack trace. */
final class CommandFailure extends RuntimeException {

    private final int exitCode;

    CommandFailure(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
