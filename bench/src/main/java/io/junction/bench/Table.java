package io.junction.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A markdown table with padded columns, for the result printout. */
public final class Table {

    private final List<String[]> rows = new ArrayList<>();

    public Table(String... header) {
        rows.add(header);
    }

    public void row(String... cells) {
        if (cells.length != rows.get(0).length) {
            throw new IllegalArgumentException("a row needs " + rows.get(0).length + " cells");
        }
        rows.add(cells);
    }

    public String render() {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            line(text, rows.get(r), widths);
            if (r == 0) {
                String[] rule = new String[widths.length];
                for (int i = 0; i < widths.length; i++) {
                    rule[i] = "-".repeat(widths[i]);
                }
                line(text, rule, widths);
            }
        }
        return text.toString();
    }

    /** A share (0.5) as a cell ("50%"), n/a for NaN. */
    public static String percent(double share) {
        return Double.isNaN(share) ? "n/a" : String.format(Locale.ROOT, "%.0f%%", share * 100);
    }

    private static void line(StringBuilder text, String[] cells, int[] widths) {
        text.append('|');
        for (int i = 0; i < cells.length; i++) {
            text.append(' ').append(cells[i]).append(" ".repeat(widths[i] - cells[i].length())).append(" |");
        }
        text.append('\n');
    }
}
