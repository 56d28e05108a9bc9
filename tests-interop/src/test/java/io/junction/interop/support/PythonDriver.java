package io.junction.interop.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A client driver script under {@code src/test/python}, run by Debian's {@code /usr/bin/python3}
 * as a child process: JSON lines to its stdin, each line of its stdout to a reader thread, and
 * the tail of its stderr kept for failure messages. {@link #close()} kills it.
 */
public final class PythonDriver implements AutoCloseable {

    private static final String PYTHON = "/usr/bin/python3";
    private static final int STDERR_KEPT = 4000;

    private final String script;
    private final Process process;
    private final Writer commands;
    private final StringBuilder stderr = new StringBuilder();

    /**
     * @param script    the file name in {@code src/test/python}
     * @param arguments the script's arguments
     * @param lines     takes each stdout line, on a thread of its own
     * @param ended     runs on that thread once stdout ends (the process exited or was killed)
     */
    public PythonDriver(String script, List<String> arguments, Consumer<String> lines, Runnable ended) {
        this.script = script;
        Path driver = Path.of("src/test/python", script);
        if (!Files.isRegularFile(driver)) {
            throw new IllegalStateException(driver.toAbsolutePath() + " not found: run the tests from the module directory");
        }
        List<String> command = new ArrayList<>(List.of(PYTHON, driver.toString()));
        command.addAll(arguments);
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
        commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        daemon(script + "-stdout", () -> readStdout(process.getInputStream(), lines, ended));
        daemon(script + "-stderr", () -> readStderr(process.getErrorStream()));
    }

    /** Writes one command line to the driver. */
    public void write(String line) {
        try {
            commands.write(line + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new AssertionError("cannot write to " + script + " (" + e + "); stderr: " + stderr(), e);
        }
    }

    /** The last few thousand characters the driver wrote to stderr, for failure messages. */
    public String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    private void readStdout(InputStream in, Consumer<String> lines, Runnable ended) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                lines.accept(line);
            }
        } catch (IOException | RuntimeException e) {
            appendStderr("stdout reader: " + e + "\n");
        } finally {
            ended.run();
        }
    }

    private void readStderr(InputStream in) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                appendStderr(line + "\n");
            }
        } catch (IOException ignored) {
            // the process is gone; what was read is kept
        }
    }

    private void appendStderr(String text) {
        synchronized (stderr) {
            stderr.append(text);
            if (stderr.length() > STDERR_KEPT) {
                stderr.delete(0, stderr.length() - STDERR_KEPT);
            }
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Kills the driver, which closes its connection if still open. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
