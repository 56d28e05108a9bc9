package io.junction.server;

import io.junction.core.boot.JunctionServer;
import io.junction.core.config.BrokerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Optional;
import java.util.concurrent.Callable;

/** Says whether a broker runs on the configured data directory; exits 0 if so, 3 if not (LSB). */
@Command(name = "status", description = "Tell whether the broker is running.")
final class StatusCommand implements Callable<Integer> {

    static final int NOT_RUNNING = 3;

    @Mixin
    BrokerOptions options;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
        BrokerConfig config = options.load(JunctionServer.discoverModules());
        Optional<ProcessHandle> broker = PidFile.runningBroker(options.pidFile(config));
        String data = config.broker().dataDirectory().toString();
        if (json) {
            System.out.println("{\"running\":" + broker.isPresent()
                    + broker.map(p -> ",\"pid\":" + p.pid()).orElse("")
                    + ",\"dataDirectory\":\"" + data.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
        } else if (broker.isPresent()) {
            System.out.println("Junction is running (pid " + broker.get().pid() + ", data " + data + ")");
        } else {
            System.out.println("Junction is not running (data " + data + ")");
        }
        return broker.isPresent() ? 0 : NOT_RUNNING;
    }
}
