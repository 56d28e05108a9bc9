package io.junction.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Reads the pid file a running broker keeps in its data directory. */
final class PidFile {

    private PidFile() {
    }

    /** The live broker process the pid file names, if there is one. */
    static Optional<ProcessHandle> runningBroker(Path pidFile) {
        String text;
        try {
            text = Files.readString(pidFile).trim();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new CommandFailure("cannot read pid file " + pidFile + ": " + e.getMessage(), 1);
        }
        long pid;
        try {
            pid = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new CommandFailure("pid file " + pidFile + " does not hold a process id: '" + text + "'", 1);
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }
}
