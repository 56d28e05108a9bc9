package io.junction.bench.loadgen.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** The facts of the machine a report's figures come from, read from /proc and the JVM. */
final class Machine {

    private Machine() {
    }

    static String describe(Double fsyncPerSec, boolean pinned) {
        List<String> cpuinfo = lines("/proc/cpuinfo");
        long cores = cpuinfo.stream().filter(l -> l.startsWith("processor")).count();
        String model = cpuinfo.stream().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        String memory = lines("/proc/meminfo").stream().filter(l -> l.startsWith("MemTotal:")).findFirst()
                .map(l -> String.format(Locale.ROOT, "%.1f GB",
                        Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0))
                .orElse("unknown");
        StringBuilder md = new StringBuilder();
        md.append("Date: ").append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
                .append("  \n");
        md.append("Machine: ").append(cores).append(" cores (").append(model).append("), ").append(memory)
                .append(" memory, Linux ").append(System.getProperty("os.version")).append("  \n");
        md.append("Java: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(" (Junction, the generator and the Java peers)  \n");
        if (fsyncPerSec != null) {
            md.append("Disk: ").append(ComparisonReport.number(fsyncPerSec))
                    .append(" fsyncs/s (4 KB write + fsync, measured before the runs)  \n");
        }
        md.append(pinned ? "Pinned: each broker on CPU 0, the load generator on CPU 1 (`taskset`)\n\n"
                : "Not pinned: brokers and the load generator share every core\n\n");
        return md.toString();
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException e) {
            return List.of();
        }
    }
}
