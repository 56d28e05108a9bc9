package io.junction.bench.loadgen.report;

import io.junction.bench.Table;

import java.util.Locale;
import java.util.Map;

/**
 * Issue 8's targets, each checked against the medians of one comparison run: Junction against the
 * peers of the same run on the same machine. A target whose peer did not run is "n/a".
 */
final class Targets {

    private static final String JUNCTION = ComparisonReport.JUNCTION;

    private final Map<RowKey, Map<String, Medians>> rows;
    private final Double fsyncPerSec;
    private final Double idleRssKb;
    private final Table table = new Table("scenario", "target", "measured", "verdict");

    /** @param idleRssKb Junction's RSS before any client connected, or null */
    Targets(Map<RowKey, Map<String, Medians>> rows, Double fsyncPerSec, Double idleRssKb) {
        this.rows = rows;
        this.fsyncPerSec = fsyncPerSec;
        this.idleRssKb = idleRssKb;
    }

    String table() {
        rows.forEach((row, byBroker) -> {
            Medians junction = byBroker.get(JUNCTION);
            if (junction == null) {
                return;
            }
            String scenario = row.scenario();
            if (row.idle()) {
                idle(row, junction);
            } else if (scenario.startsWith("mqtt-")) {
                check(row, "no message lost", "delivered " + Table.percent(orNaN(junction.worstDeliveredShare()))
                        + " (worst run)", !junction.marked());
                // The paced run holds every broker to one rate: its throughput ranks nothing.
                if (!scenario.equals("mqtt-qos1-paced")) {
                    atLeastBestPeer(row, byBroker, 1.0);
                }
                cpuAtMostHalfOfArtemis(row, byBroker);
                if (scenario.startsWith("mqtt-qos1")) {
                    p99AtMostMosquitto(row, byBroker);
                }
            } else if (scenario.equals("jms-queue-async") || scenario.equals("jms-queue-transacted")) {
                atLeastBestPeer(row, byBroker, 1.3);
            } else if (scenario.equals("jms-queue-sync-16")) {
                syncGroupCommit(row, junction);
                atLeastPeer(row, byBroker, "artemis", 1.5);
            } else if (scenario.startsWith("stomp-")) {
                atLeastPeer(row, byBroker, "artemis", 1.3);
            }
        });
        return table.render();
    }

    private void idle(RowKey row, Medians junction) {
        Double connected = junction.median("connected");
        Double connections = junction.median("connections");
        check(row, "all connect", ComparisonReport.number(connected) + " of " + ComparisonReport.number(connections),
                !junction.marked());
        Double rate = junction.median("connectsPerSec");
        check(row, "at least 5,000 connections/s", ComparisonReport.number(rate) + "/s", rate != null && rate >= 5000);
        Double perConnection = junction.median("rssPerConnKb");
        check(row, "at most 10 KB RSS per connection", ComparisonReport.decimal(perConnection, 1) + " KB",
                perConnection != null && perConnection <= 10);
        String target = "idle broker RSS at most 120 MB";
        if (idleRssKb == null) {
            na(row, target, "not measured");
        } else {
            check(row, target, String.format(Locale.ROOT, "%.0f MB, started and idle, before any client", idleRssKb / 1024),
                    idleRssKb <= 120 * 1024);
        }
    }

    private void atLeastBestPeer(RowKey row, Map<String, Medians> byBroker, double factor) {
        String best = ComparisonReport.bestPeer(byBroker, "msgsPerSec", true);
        String target = factor == 1.0 ? "msgs/s at least the best peer's" : "msgs/s at least " + factor + "x the best peer's";
        if (best == null) {
            na(row, target, "no peer ran without loss");
            return;
        }
        ratio(row, target, byBroker.get(JUNCTION).median("msgsPerSec"), byBroker.get(best).median("msgsPerSec"),
                best, factor, true);
    }

    private void atLeastPeer(RowKey row, Map<String, Medians> byBroker, String peer, double factor) {
        String target = "msgs/s at least " + factor + "x " + peer + "'s";
        Medians theirs = byBroker.get(peer);
        if (theirs == null) {
            na(row, target, "no " + peer + " run");
            return;
        }
        ratio(row, target, byBroker.get(JUNCTION).median("msgsPerSec"), theirs.median("msgsPerSec"), peer, factor, true);
    }

    private void cpuAtMostHalfOfArtemis(RowKey row, Map<String, Medians> byBroker) {
        String target = "broker CPU per message at most half of artemis's";
        Medians artemis = byBroker.get("artemis");
        if (artemis == null) {
            na(row, target, "no artemis run");
            return;
        }
        ratio(row, target, byBroker.get(JUNCTION).median("brokerCpuUsPerMsg"), artemis.median("brokerCpuUsPerMsg"),
                "artemis", 0.5, false);
    }

    private void p99AtMostMosquitto(RowKey row, Map<String, Medians> byBroker) {
        String target = "p99 latency at most mosquitto's";
        Medians mosquitto = byBroker.get("mosquitto");
        if (mosquitto == null) {
            na(row, target, "no mosquitto run");
            return;
        }
        Double ours = byBroker.get(JUNCTION).median("p99Ms");
        Double theirs = mosquitto.median("p99Ms");
        check(row, target, ComparisonReport.decimal(ours, 2) + " ms vs " + ComparisonReport.decimal(theirs, 2) + " ms",
                ours != null && theirs != null && ours <= theirs);
    }

    private void syncGroupCommit(RowKey row, Medians junction) {
        String target = "at least 70 % of fsyncs/s x 16";
        if (fsyncPerSec == null) {
            na(row, target, "fsync rate not measured");
            return;
        }
        Double rate = junction.median("msgsPerSec");
        double bound = fsyncPerSec * 16;
        check(row, target, ComparisonReport.number(rate) + " of " + ComparisonReport.number(bound) + " ("
                + Table.percent(rate == null ? Double.NaN : rate / bound) + ")", rate != null && rate >= 0.7 * bound);
    }

    /** ours / theirs against the factor: at least it when higher is better, at most it otherwise. */
    private void ratio(RowKey row, String target, Double ours, Double theirs, String peer, double factor,
                       boolean higherIsBetter) {
        if (ours == null || theirs == null || theirs == 0) {
            na(row, target, "not measured");
            return;
        }
        double ratio = ours / theirs;
        check(row, target, String.format(Locale.ROOT, "%.2fx %s", ratio, peer),
                higherIsBetter ? ratio >= factor : ratio <= factor);
    }

    private void check(RowKey row, String target, String measured, boolean met) {
        table.row(row.label(), target, measured, met ? "met" : "**not met**");
    }

    private void na(RowKey row, String target, String why) {
        table.row(row.label(), target, why, "n/a");
    }

    private static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
    }
}
