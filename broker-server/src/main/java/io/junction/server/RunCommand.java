package io.junction.server;

import io.junction.core.boot.JunctionServer;
import io.junction.core.config.BrokerConfig;
import io.junction.core.config.ConfigException;
import io.junction.core.spi.ProtocolModule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;

/** Runs the broker in the foreground until it is stopped (SIGTERM, SIGINT or {@code junction stop}). */
@Command(name = "run", description = "Run the broker in the foreground.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    BrokerOptions options;

    @Option(names = "--salvage", description = "Start even if a journal segment is damaged: move it to "
            + "<data>/journal/quarantine and recover everything else.")
    boolean salvage;

    @Override
    public Integer call() {
        Map<String, ProtocolModule> modules = JunctionServer.discoverModules();
        BrokerConfig config = options.load(modules);
        Logging.useDirectory(config.broker().dataDirectory().resolve("log"));

        JunctionServer server = new JunctionServer(config, modules);
        server.salvageDamagedJournal(salvage);
        try {
            server.start();
        } catch (ConfigException e) {
            // An invalid users file: reported like an invalid broker.yaml, with file and line.
            throw new CommandFailure(e.getMessage(), 2);
        } catch (IllegalStateException e) {
            throw new CommandFailure(e.getMessage(), 1);
        }
        Path pidFile = options.pidFile(config);
        writePid(pidFile);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException ignored) {
                // A stale pid file is recognised by 'status' as a dead process.
            }
            Logging.stop();
            stopped.countDown();
        }, "junction-shutdown"));
        // A graceful stop is a success: SIGTERM and SIGINT end the JVM with System.exit(0) rather
        // than the JVM's 143 or 130, so service managers do not report a failure. Exiting this way,
        // not by halting from the hook above, lets every other shutdown hook finish too (a JFR
        // recording's dump on exit, an agent's).
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> System.exit(0));
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static void writePid(Path pidFile) {
        try {
            Files.writeString(pidFile, Long.toString(ProcessHandle.current().pid()));
        } catch (IOException e) {
            throw new CommandFailure("cannot write pid file " + pidFile + ": " + e.getMessage(), 1);
        }
    }
}
