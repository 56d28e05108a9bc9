package io.junction.server;

import io.junction.core.boot.JunctionServer;
import io.junction.core.config.BrokerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Asks the running broker to stop (SIGTERM) and waits for it: it stops accepting connections,
 * closes the open ones, closes its data and exits.
 */
@Command(name = "stop", description = "Stop the running broker gracefully.")
final class StopCommand implements Callable<Integer> {

    @Mixin
    BrokerOptions options;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long to wait for the broker to exit (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        BrokerConfig config = options.load(JunctionServer.discoverModules());
        Optional<ProcessHandle> broker = PidFile.runningBroker(options.pidFile(config));
        if (broker.isEmpty()) {
            System.out.println("Junction is not running (data " + config.broker().dataDirectory() + ")");
            return 0;
        }
        ProcessHandle process = broker.get();
        process.destroy();
        try {
            process.onExit().get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new CommandFailure("broker (pid " + process.pid() + ") did not stop within " + timeoutSeconds
                    + " s; it is still running", 1);
        }
        System.out.println("Junction stopped (pid " + process.pid() + ")");
        return 0;
    }
}
