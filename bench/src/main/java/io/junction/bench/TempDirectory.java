package io.junction.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A directory under java.io.tmpdir, deleted with everything in it on close, or when the JVM
 * exits before that (Ctrl-C).
 */
final class TempDirectory implements AutoCloseable {

    private final Path path;
    private final Thread onExit;

    TempDirectory(String prefix) throws IOException {
        this.path = Files.createTempDirectory(prefix);
        this.onExit = new Thread(() -> delete(path), "bench-temp-cleanup");
        Runtime.getRuntime().addShutdownHook(onExit);
    }

    Path path() {
        return path;
    }

    Path resolve(String name) {
        return path.resolve(name);
    }

    /** Deletes a directory tree if it exists; each case deletes its own as soon as it is done. */
    static void delete(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        Runtime.getRuntime().removeShutdownHook(onExit);
        delete(path);
    }
}
