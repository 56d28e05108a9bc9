package io.junction.interop.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code bin/junction} script of the checkout ({@code junction.home}, set by surefire)
 * as a child process, with the JDK that runs the tests. Every wait is bounded, and a command that
 * does not finish in time, or whose wait is interrupted (a JUnit {@code @Timeout}), is killed with
 * its children.
 *
 * <pre>
 * JunctionCommand.Result status = JunctionCommand.run(scratch, Duration.ofSeconds(60), "status", "--json");
 * </pre>
 */
public final class JunctionCommand {

    /** The checkout the script runs from. */
    public static final Path HOME = Path.of(System.getProperty("junction.home", "..")).toAbsolutePath().normalize();

    /** Long enough for the script to build the server on a fresh checkout (it runs Maven then). */
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);
    private static final String BUILD_NOTICE = "junction: building";
    private static boolean built;

    private JunctionCommand() {
    }

    /** What a finished command left behind. */
    public record Result(int exitCode, String stdout, String stderr) {

        /** The lines on stderr, without the notice the script prints when it builds the server first. */
        public List<String> stderrLines() {
            return stderr.lines().filter(line -> !line.isBlank() && !line.startsWith(BUILD_NOTICE)).toList();
        }

        /** Everything the command printed: stdout, then stderr. */
        public String output() {
            return stdout + stderr;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr;
        }
    }

    /**
     * Runs {@code bin/junction --version} once per test JVM, so that the build the script makes when
     * {@code broker-server/target} is missing or older than the sources happens here, under a
     * generous timeout, and not inside a test with a tight one (a timed crash round, a flood's budget).
     */
    public static synchronized void ensureBuilt(Path scratch) throws IOException, InterruptedException {
        if (built) {
            return;
        }
        Result version = run(scratch, BUILD_TIMEOUT, "--version");
        if (version.exitCode() != 0) {
            throw new AssertionError("bin/junction --version failed; " + version);
        }
        built = true;
    }

    /**
     * Runs {@code bin/junction <args>} to completion, with the script's default JVM options (not
     * {@code JAVA_OPTS} of the environment); stdout and stderr are captured in files under
     * {@code scratch}.
     */
    public static Result run(Path scratch, Duration timeout, String... args) throws IOException, InterruptedException {
        Path stdout = Files.createTempFile(scratch, "stdout-", ".txt");
        Path stderr = Files.createTempFile(scratch, "stderr-", ".txt");
        Process process = processBuilder(null, args)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        boolean finished;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            destroyWithChildren(process);
            throw e;
        }
        if (!finished) {
            destroyWithChildren(process);
            throw new AssertionError("bin/junction " + String.join(" ", args) + " did not finish within " + timeout
                    + "; stdout: " + Files.readString(stdout) + " stderr: " + Files.readString(stderr));
        }
        return new Result(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
    }

    /** Like {@link #run}, with {@code input} written to the command's standard input (a pipe, not a terminal). */
    public static Result runWithInput(Path scratch, Duration timeout, String input, String... args)
            throws IOException, InterruptedException {
        Path stdin = Files.createTempFile(scratch, "stdin-", ".txt");
        Files.writeString(stdin, input);
        Path stdout = Files.createTempFile(scratch, "stdout-", ".txt");
        Path stderr = Files.createTempFile(scratch, "stderr-", ".txt");
        Process process = processBuilder(null, args)
                .redirectInput(stdin.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                destroyWithChildren(process);
                throw new AssertionError("bin/junction " + String.join(" ", args) + " did not finish within " + timeout);
            }
        } catch (InterruptedException e) {
            destroyWithChildren(process);
            throw e;
        } finally {
            Files.deleteIfExists(stdin);
        }
        return new Result(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
    }

    /**
     * A process builder for {@code bin/junction <args>}: stdin from {@code /dev/null}, the test's JDK
     * as {@code JAVA_HOME}, the script's own {@code JUNCTION_HOME}, and the given {@code JAVA_OPTS}
     * (null: the script's defaults).
     */
    static ProcessBuilder processBuilder(String javaOpts, String... args) {
        ProcessBuilder builder = new ProcessBuilder();
        builder.command().add(HOME.resolve("bin").resolve("junction").toString());
        builder.command().addAll(List.of(args));
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("JUNCTION_HOME");
        if (javaOpts == null) {
            builder.environment().remove("JAVA_OPTS");
        } else {
            builder.environment().put("JAVA_OPTS", javaOpts);
        }
        return builder;
    }

    private static void destroyWithChildren(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
