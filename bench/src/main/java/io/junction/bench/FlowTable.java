package io.junction.bench;

import java.util.Comparator;
import java.util.List;

/**
 * The throughput table of the side-by-side JMS benchmarks (AMQP, OpenWire): per scenario, a row for
 * Junction and one for Artemis, each with the figures of the broker's median run, the range of its
 * runs' delivered msg/s and, on Junction's row, its delivered msg/s over Artemis's.
 */
final class FlowTable {

    /** A run as the table sees it: the broker it ran on, and what it measured (null if it failed). */
    interface Run {
        String broker();

        MessageFlow.Result flow();
    }

    private final Table table = new Table("scenario", "broker", "delivered msg/s (median, min-max)", "sent msg/s",
            "broker CPU us/msg", "fsyncs/msg", "records/fsync", "machine busy", "backlog at end", "drain",
            "Junction / Artemis");

    /**
     * Adds the rows of one scenario from its runs, the median of each broker's successful runs by
     * {@code order}. Failed runs are counted in the row; a broker whose runs all failed shows
     * FAILED, and the benchmark lists its failures below the tables.
     */
    <R extends Run> void add(String title, List<R> runs, Comparator<? super R> order) {
        R junctionMedian = median(runs, SideBySideBrokers.JUNCTION, order);
        R artemisMedian = median(runs, SideBySideBrokers.ARTEMIS, order);
        for (String broker : List.of(SideBySideBrokers.JUNCTION, SideBySideBrokers.ARTEMIS)) {
            List<R> all = runs.stream().filter(r -> r.broker().equals(broker)).toList();
            if (all.isEmpty()) {
                continue;
            }
            R median = broker.equals(SideBySideBrokers.JUNCTION) ? junctionMedian : artemisMedian;
            long failed = all.stream().filter(r -> r.flow() == null).count();
            if (median == null) {
                table.row(title, broker, String.format("FAILED (%d of %d runs, see below)", failed, all.size()),
                        "-", "-", "-", "-", "-", "-", "-", "");
                continue;
            }
            MessageFlow.Result flow = median.flow();
            List<MessageFlow.Result> ok = all.stream().map(Run::flow).filter(f -> f != null).toList();
            double min = ok.stream().mapToDouble(MessageFlow.Result::delivered).min().orElse(Double.NaN);
            double max = ok.stream().mapToDouble(MessageFlow.Result::delivered).max().orElse(Double.NaN);
            String ratio = median == junctionMedian && artemisMedian != null
                    ? String.format("%.2f", flow.delivered() / artemisMedian.flow().delivered()) : "";
            table.row(title, broker,
                    String.format("%,.0f (%,.0f-%,.0f)%s", flow.delivered(), min, max,
                            failed > 0 ? String.format("; FAILED %d of %d runs", failed, all.size()) : ""),
                    String.format("%,.0f", flow.sent()),
                    String.format("%.1f", flow.brokerCpuMicros()), flow.forcesPerMessage(),
                    flow.recordsPerForce(), Table.percent(flow.machineBusy()),
                    String.format("%,d", flow.backlog()),
                    flow.undelivered() > 0 ? String.format("%,d not delivered in %d s", flow.undelivered(),
                            MessageFlow.DRAIN_TIMEOUT.toSeconds()) : String.format("%.1f s", flow.drainSeconds()),
                    ratio);
        }
    }

    /** The median of a broker's successful runs by {@code order}, null if none. */
    static <R extends Run> R median(List<R> runs, String broker, Comparator<? super R> order) {
        return Median.of(runs.stream().filter(r -> r.broker().equals(broker) && r.flow() != null).toList(), order);
    }

    String render() {
        return table.render();
    }
}
