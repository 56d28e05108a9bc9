package io.junction.interop.durability;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted for one test, so that a broker can really run out of disk. Mounting needs
 * root (as in CI); elsewhere the test is skipped. {@link #close()} unmounts, and fails if the mount
 * is still busy (something kept a file open), after detaching it so that nothing is left behind.
 */
final class TmpfsMount implements AutoCloseable {

    private static final long COMMAND_TIMEOUT_SECONDS = 10;

    private final Path path;

    private TmpfsMount(Path path) {
        this.path = path;
    }

    /** Mounts a tmpfs of {@code size} (mount's notation, e.g. {@code 24m}) at a new directory, or skips the test. */
    static TmpfsMount mountOrSkipTest(Path mountPoint, String size) throws IOException, InterruptedException {
        Files.createDirectories(mountPoint);
        String failure = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mountPoint.toString());
        Assumptions.assumeTrue(failure == null, () -> "cannot mount a tmpfs (needs root): " + failure);
        return new TmpfsMount(mountPoint);
    }

    Path path() {
        return path;
    }

    /** Writes a file of {@code bytes} that takes that much of the file system, to be deleted to free space. */
    Path filler(String name, int bytes) throws IOException {
        Path file = path.resolve(name);
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int written = 0; written < bytes; written += chunk.length) {
                out.write(chunk, 0, Math.min(chunk.length, bytes - written));
            }
        }
        return file;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        String failure = run("umount", path.toString());
        if (failure != null) {
            run("umount", "-l", path.toString());
            throw new AssertionError("the tmpfs at " + path + " was still busy once the broker had stopped "
                    + "(a file left open?): " + failure);
        }
    }

    /** Runs a command; returns null when it succeeded, else its exit code and output. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            return notInstalled.getMessage();
        }
        if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return String.join(" ", command) + " did not finish within " + COMMAND_TIMEOUT_SECONDS + " s";
        }
        String output = new String(process.getInputStream().readAllBytes()).trim();
        return process.exitValue() == 0 ? null : "exit " + process.exitValue() + ": " + output;
    }
}
