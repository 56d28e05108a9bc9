package io.junction.interop.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code bin/junction} script of the checkout ({@code junction.home}, set by surefire)
 * as a child process, with the JDK that runs the tests. Every wait is bounded.
 */
final class JunctionCli {

    static final Path HOME = Path.of(System.getProperty("junction.home", "..")).toAbsolutePath().normalize();

    /** Long enough for the script to build the server on a fresh checkout (it runs Maven then). */
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);
    private static final String BUILD_NOTICE = "junction: building";
    private static boolean built;

    private JunctionCli() {
    }

    /** What a finished command left behind. */
    record Result(int exitCode, String stdout, String stderr) {

        /** The lines on stderr, without the notice the script prints when it builds the server first. */
        List<String> stderrLines() {
            return stderr.lines().filter(line -> !line.isBlank() && !line.startsWith(BUILD_NOTICE)).toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr;
        }
    }

    /**
     * Runs {@code bin/junction --version} once per test JVM, so that the build the script makes when
     * {@code broker-server/target} is missing or older than the sources happens here, under a
     * generous timeout, and not inside a test with a tight one.
     */
    static synchronized void ensureBuilt(Path scratch) throws IOException, InterruptedException {
        if (built) {
            return;
        }
        Result version = run(scratch, BUILD_TIMEOUT, "--version");
        if (version.exitCode() != 0) {
            throw new IllegalStateException("bin/junction --version failed; " + version);
        }
        built = true;
    }

    /** Runs a command to completion; output is captured in files under {@code scratch}. */
    static Result run(Path scratch, Duration timeout, String... args) throws IOException, InterruptedException {
        Path stdout = Files.createTempFile(scratch, "stdout-", ".txt");
        Path stderr = Files.createTempFile(scratch, "stderr-", ".txt");
        Process process = processBuilder(args)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("bin/junction " + String.join(" ", args) + " did not finish within " + timeout
                    + "; stdout: " + Files.readString(stdout) + " stderr: " + Files.readString(stderr));
        }
        return new Result(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
    }

    /** Starts a command without waiting for it (for {@code run}); its output goes to the given file. */
    static Process launch(Path output, String... args) throws IOException {
        return processBuilder(args).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    private static ProcessBuilder processBuilder(String... args) {
        List<String> command = new ArrayList<>();
        command.add(HOME.resolve("bin").resolve("junction").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("JUNCTION_HOME");
        return builder;
    }
}
