package io.junction.bench.loadgen.report;

import java.util.List;
import java.util.Objects;

/**
 * One broker's repetitions of one row: the median of each field over the runs that measured it,
 * and whether any run is marked (lost a message or a connection, or a send failed).
 */
record Medians(List<Run> runs) {

    Double median(String field) {
        List<Double> values = runs.stream().map(r -> r.number(field)).filter(Objects::nonNull).sorted().toList();
        if (values.isEmpty()) {
            return null;
        }
        int middle = values.size() / 2;
        return values.size() % 2 == 1 ? values.get(middle) : (values.get(middle - 1) + values.get(middle)) / 2;
    }

    boolean marked() {
        return runs.stream().anyMatch(Run::marked);
    }

    /** The worst delivered share over the runs (1.0 when nothing was lost), or null. */
    Double worstDeliveredShare() {
        return runs.stream().map(Run::deliveredShare).filter(Objects::nonNull).min(Double::compare).orElse(null);
    }

    /** Share of one core the broker used over the window (median), or null. */
    Double brokerCoreShare() {
        return share("brokerCpuSec");
    }

    Double generatorCoreShare() {
        return share("generatorCpuSec");
    }

    private Double share(String cpuField) {
        List<Double> shares = runs.stream()
                .filter(r -> r.number(cpuField) != null && r.number("seconds") != null && r.number("seconds") > 0)
                .map(r -> r.number(cpuField) / r.number("seconds")).sorted().toList();
        return shares.isEmpty() ? null : shares.get(shares.size() / 2);
    }
}
