package io.junction.bench.loadgen.report;

import io.junction.bench.Options;
import io.junction.bench.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The markdown report of a comparison run ({@code bench/compare.sh}): reads the {@code BROKER} and
 * {@code RESULT} lines that {@code bench/loadgen.sh} printed and writes, on stdout, the machine,
 * the brokers and their versions, then per scenario the median over the repetitions of every
 * broker with Junction / peer ratios, latency, idle connections, what bounded each run, and the
 * issue's targets met or not. A broker whose runs lost messages is shown but never ranked.
 *
 * <pre>
 * java -cp junction-loadgen.jar:lib/* io.junction.bench.loadgen.report.ComparisonReport --results=FILE
 *      [--command="..."] [--fsync-per-sec=N] [--pinned=true|false]
 * </pre>
 */
public final class ComparisonReport {

    static final String JUNCTION = "junction";

    private final Map<String, Map<String, String>> brokers = new LinkedHashMap<>();
    private final Map<RowKey, Map<String, Medians>> rows = new TreeMap<>(RowKey.ORDER);
    private final Double fsyncPerSec;
    /** Runs that ended without a result line ({@code FAILED} lines: scenario, broker, how it ended). */
    private final List<String> failed = new ArrayList<>();

    ComparisonReport(List<String> lines, Double fsyncPerSec) {
        this.fsyncPerSec = fsyncPerSec;
        Map<RowKey, Map<String, List<Run>>> runs = new TreeMap<>(RowKey.ORDER);
        for (String line : lines) {
            if (line.startsWith("BROKER ")) {
                Map<String, String> facts = new LinkedHashMap<>();
                for (String token : line.substring("BROKER ".length()).trim().split("\\s+")) {
                    int eq = token.indexOf('=');
                    if (eq > 0) {
                        facts.put(token.substring(0, eq), token.substring(eq + 1));
                    }
                }
                brokers.putIfAbsent(facts.getOrDefault("name", "?"), facts);
            } else if (line.startsWith("FAILED ")) {
                failed.add(line.substring("FAILED ".length()).trim());
            } else if (line.startsWith("RESULT ")) {
                Run run = Run.parse(line);
                brokers.computeIfAbsent(run.broker(), name -> Map.of("name", name));
                runs.computeIfAbsent(run.row(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(run.broker(), b -> new ArrayList<>()).add(run);
            }
        }
        runs.forEach((row, byBroker) -> {
            Map<String, Medians> medians = new LinkedHashMap<>();
            byBroker.forEach((broker, list) -> medians.put(broker, new Medians(list)));
            rows.put(row, medians);
        });
    }

    public static void main(String[] args) throws IOException {
        Options options = Options.parse(args, Set.of("results", "command", "fsync-per-sec", "pinned"));
        String results = options.get("results");
        if (results == null) {
            System.err.println("usage: --results=FILE [--command=...] [--fsync-per-sec=N] [--pinned=true|false]");
            System.exit(2);
        }
        String fsync = options.get("fsync-per-sec");
        ComparisonReport report = new ComparisonReport(Files.readAllLines(Path.of(results)),
                fsync == null ? null : Double.parseDouble(fsync));
        System.out.print(report.render(options.get("command"), Boolean.parseBoolean(options.get("pinned", "false")),
                Path.of(results).getFileName().toString()));
    }

    String render(String command, boolean pinned, String resultsFile) {
        StringBuilder md = new StringBuilder();
        md.append("# Junction beside its peers\n\n");
        md.append(Machine.describe(fsyncPerSec, pinned));
        if (command != null) {
            md.append("Command: `").append(command).append("`\n\n");
        }
        md.append("Raw result lines: `").append(resultsFile).append("`.\n\n");
        md.append("## Brokers\n\n").append(brokerTable()).append('\n');
        md.append("## Throughput and broker CPU\n\n");
        md.append("Each cell: median msgs/s (deliveries per second; fan-out counts every subscriber's copy) over the "
                + "repetitions, then the broker's CPU per delivered message, median, in µs. **lost** marks a broker "
                + "that, in any repetition, had delivered fewer messages than were sent when the run ended (it "
                + "dropped them, or had not delivered them yet: after the senders stop, a run waits until no delivery "
                + "came for 2 s, and at most as long again as its send window) or had a failed send, with the worst "
                + "run's undelivered share: it is shown, not ranked. The ratios compare Junction with the best peer that lost nothing: "
                + "msgs/s (higher is better for Junction) and CPU per message (lower is better for Junction).\n\n");
        md.append(throughputTable()).append('\n');
        String latency = latencyTable();
        if (latency != null) {
            md.append("## End-to-end latency\n\nMedian over the repetitions of each run's p50 / p99 / p999, ms.\n\n")
                    .append(latency).append('\n');
        }
        String mixed = mixedTable();
        if (mixed != null) {
            md.append("## The mixed run, part by part\n\n")
                    .append("All four protocols at once against one broker (MQTT QoS 1 one-to-one, JMS persistent async "
                            + "sends over OpenWire and over AMQP, the STOMP queue): each part's median msgs/s and p99 "
                            + "in ms. The row `mixed` above gives them added up.\n\n")
                    .append(mixed).append('\n');
        }
        String idle = idleTable();
        if (idle != null) {
            md.append("## Idle MQTT connections\n\n").append(idle).append('\n');
        }
        if (!failed.isEmpty()) {
            md.append("## Runs that did not finish\n\n")
                    .append("These gave no result line (the client library threw: a refused connection, a broker that "
                            + "closed one, a feature it does not serve); their repetitions are missing from the medians "
                            + "above. The log of the run says why.\n\n");
            failed.forEach(f -> md.append("- ").append(f).append('\n'));
            md.append('\n');
        }
        md.append("## What bounded each run\n\n");
        md.append("Share of one core used over the run's window, median: the broker (`b`) and the load generator "
                + "(`g`, its whole JVM). Pinned, each has one core: a share near 100 % is the limit of that run. "
                + "For synchronous persistent sends, the disk's bound is its fsync rate times the producers.\n\n");
        md.append(boundsTable()).append('\n');
        md.append("## Targets of issue 8\n\n").append(new Targets(rows, fsyncPerSec, idleRssKb(JUNCTION)).table()).append('\n');
        return md.toString();
    }

    /** The broker's RSS once started and idle, before any client (its BROKER line), or null. */
    Double idleRssKb(String broker) {
        String rss = brokers.getOrDefault(broker, Map.of()).get("idleRssKb");
        return rss == null || !rss.matches("\\d+") ? null : Double.valueOf(rss);
    }

    private List<String> brokerNames() {
        List<String> names = new ArrayList<>();
        if (brokers.containsKey(JUNCTION)) {
            names.add(JUNCTION);
        }
        brokers.keySet().stream().filter(n -> !n.equals(JUNCTION)).forEach(names::add);
        return names;
    }

    private String brokerTable() {
        Table table = new Table("broker", "version", "idle RSS (started, no client yet)");
        for (String name : brokerNames()) {
            Double rss = idleRssKb(name);
            table.row(name, brokers.get(name).getOrDefault("version", "?"), rss == null ? "-" : mb(rss));
        }
        return table.render();
    }

    private String throughputTable() {
        List<String> names = brokerNames();
        List<String> header = new ArrayList<>();
        header.add("scenario");
        header.addAll(names);
        header.add("Junction / best peer, msgs/s");
        header.add("Junction / best peer, CPU per msg");
        Table table = new Table(header.toArray(String[]::new));
        rows.forEach((row, byBroker) -> {
            if (row.idle()) {
                return;
            }
            List<String> cells = new ArrayList<>();
            cells.add(row.label());
            for (String name : names) {
                cells.add(throughputCell(byBroker.get(name)));
            }
            Medians junction = byBroker.get(JUNCTION);
            String bestByRate = bestPeer(byBroker, "msgsPerSec", true);
            String bestByCpu = bestPeer(byBroker, "brokerCpuUsPerMsg", false);
            cells.add(ratioCell(junction, byBroker, bestByRate, "msgsPerSec"));
            cells.add(ratioCell(junction, byBroker, bestByCpu, "brokerCpuUsPerMsg"));
            table.row(cells.toArray(String[]::new));
        });
        return table.render();
    }

    /** The peer (not Junction) that lost nothing with the highest (or lowest) median of the field, or null. */
    static String bestPeer(Map<String, Medians> byBroker, String field, boolean highest) {
        String best = null;
        double bestValue = 0;
        for (Map.Entry<String, Medians> entry : byBroker.entrySet()) {
            Double value = entry.getValue().median(field);
            if (entry.getKey().equals(JUNCTION) || entry.getValue().marked() || value == null) {
                continue;
            }
            if (best == null || (highest ? value > bestValue : value < bestValue)) {
                best = entry.getKey();
                bestValue = value;
            }
        }
        return best;
    }

    private static String ratioCell(Medians junction, Map<String, Medians> byBroker, String peer, String field) {
        if (junction == null || peer == null) {
            return "-";
        }
        Double ours = junction.median(field);
        Double theirs = byBroker.get(peer).median(field);
        if (ours == null || theirs == null || theirs == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2fx (%s)%s", ours / theirs, peer, junction.marked() ? ", Junction lost" : "");
    }

    private static String throughputCell(Medians medians) {
        if (medians == null) {
            return "-";
        }
        String cell = number(medians.median("msgsPerSec")) + " · " + decimal(medians.median("brokerCpuUsPerMsg"), 1) + " µs";
        return medians.marked() ? "**lost** " + lostPercent(medians) + " · " + cell : cell;
    }

    private String latencyTable() {
        List<String> names = brokerNames();
        List<String> header = new ArrayList<>();
        header.add("scenario");
        header.addAll(names);
        Table table = new Table(header.toArray(String[]::new));
        boolean any = false;
        for (Map.Entry<RowKey, Map<String, Medians>> entry : rows.entrySet()) {
            if (entry.getValue().values().stream().noneMatch(m -> m.median("p99Ms") != null)) {
                continue;
            }
            any = true;
            List<String> cells = new ArrayList<>();
            cells.add(entry.getKey().label());
            for (String name : names) {
                Medians medians = entry.getValue().get(name);
                cells.add(medians == null || medians.median("p99Ms") == null ? "-"
                        : decimal(medians.median("p50Ms"), 2) + " / " + decimal(medians.median("p99Ms"), 2) + " / "
                          + decimal(medians.median("p999Ms"), 2) + (medians.marked() ? " (lost)" : ""));
            }
            table.row(cells.toArray(String[]::new));
        }
        return any ? table.render() : null;
    }

    private String mixedTable() {
        Map<String, Medians> byBroker = rows.entrySet().stream().filter(e -> e.getKey().scenario().equals("mixed"))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        if (byBroker == null) {
            return null;
        }
        List<String> names = brokerNames().stream().filter(byBroker::containsKey).toList();
        List<String> header = new ArrayList<>();
        header.add("part");
        header.addAll(names);
        Table table = new Table(header.toArray(String[]::new));
        for (String part : List.of("mqtt", "openwire", "amqp", "stomp")) {
            List<String> cells = new ArrayList<>();
            cells.add(part);
            for (String name : names) {
                Medians medians = byBroker.get(name);
                Double p99 = medians.median(part + "P99Ms");
                boolean lost = medians.runs().stream().anyMatch(r -> Boolean.TRUE.equals(r.fields().get(part + "Lost")));
                cells.add((lost ? "**lost** · " : "") + number(medians.median(part + "MsgsPerSec"))
                        + (p99 == null ? "" : " · p99 " + decimal(p99, 1)));
            }
            table.row(cells.toArray(String[]::new));
        }
        return table.render();
    }

    private String idleTable() {
        Table table = new Table("broker", "connected", "connects/s", "RSS per connection", "heap per connection",
                "RSS before", "RSS with them", "broker CPU per connect");
        boolean any = false;
        for (Map.Entry<RowKey, Map<String, Medians>> entry : rows.entrySet()) {
            if (!entry.getKey().idle()) {
                continue;
            }
            for (String name : brokerNames()) {
                Medians medians = entry.getValue().get(name);
                if (medians == null) {
                    continue;
                }
                any = true;
                Double connected = medians.median("connected");
                Double cpu = medians.median("brokerCpuSec");
                table.row(name + (entry.getKey().transport().equals("tcp") ? "" : " " + entry.getKey().transport()),
                        number(connected) + " of " + number(medians.median("connections"))
                                + (medians.marked() ? " (**lost** some)" : ""),
                        number(medians.median("connectsPerSec")),
                        kb(medians.median("rssPerConnKb")),
                        kb(medians.median("heapPerConnKb")),
                        mb(medians.median("rssBeforeKb")),
                        mb(medians.median("brokerRssKb")),
                        cpu == null || connected == null || connected == 0 ? "-"
                                : decimal(cpu * 1e6 / connected, 0) + " µs");
            }
        }
        return any ? table.render() : null;
    }

    private String boundsTable() {
        List<String> names = brokerNames();
        List<String> header = new ArrayList<>();
        header.add("scenario");
        header.addAll(names);
        header.add("disk bound");
        Table table = new Table(header.toArray(String[]::new));
        rows.forEach((row, byBroker) -> {
            List<String> cells = new ArrayList<>();
            cells.add(row.label());
            for (String name : names) {
                Medians medians = byBroker.get(name);
                cells.add(medians == null ? "-" : "b " + Table.percent(orNaN(medians.brokerCoreShare()))
                        + " g " + Table.percent(orNaN(medians.generatorCoreShare())));
            }
            cells.add(diskBound(row, byBroker));
            table.row(cells.toArray(String[]::new));
        });
        return table.render();
    }

    private String diskBound(RowKey row, Map<String, Medians> byBroker) {
        if (fsyncPerSec == null || !row.scenario().startsWith("jms-queue-sync")) {
            return "-";
        }
        Double producers = byBroker.values().stream().map(m -> m.median("producers"))
                .filter(p -> p != null).findFirst().orElse(null);
        return producers == null ? "-" : number(fsyncPerSec * producers) + " msgs/s (" + number(fsyncPerSec)
                + " fsyncs/s x " + number(producers) + ")";
    }

    /** The worst run's lost share: whole percent, or two decimals below 1 % so that a small loss does not read 0 %. */
    private static String lostPercent(Medians medians) {
        double lost = 1 - orZero(medians.worstDeliveredShare());
        return String.format(Locale.ROOT, lost < 0.01 ? "%.2f%%" : "%.0f%%", lost * 100);
    }

    static String number(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%,.0f", value);
    }

    static String decimal(Double value, int places) {
        return value == null ? "-" : String.format(Locale.ROOT, "%,." + places + "f", value);
    }

    private static String kb(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.1f KB", value);
    }

    private static String mb(Double kb) {
        return kb == null ? "-" : String.format(Locale.ROOT, "%.0f MB", kb / 1024);
    }

    private static double orZero(Double value) {
        return value == null ? 0 : value;
    }

    private static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
    }
}
