package io.junction.core.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The duration ({@code 500ms}, {@code 10s}, ...) and byte size ({@code 64KB}, ...) notations of the config file. */
final class Units {

    static final String DURATION_FORM = "a duration such as 500ms, 10s, 5m, 2h, 4d or whole milliseconds";
    static final String SIZE_FORM = "a size such as 512, 64KB, 10MB or 1GB";

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+)([KMG]B)?", Pattern.CASE_INSENSITIVE);

    private static final long SECOND = 1000;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final long KB = 1024;
    private static final long MB = 1024 * KB;
    private static final long GB = 1024 * MB;

    private Units() {
    }

    /** A non-negative duration, or empty when the text is not one (or does not fit in a long of milliseconds). */
    static Optional<Duration> parseDuration(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long unit = switch (m.group(2) == null ? "ms" : m.group(2)) {
            case "s" -> SECOND;
            case "m" -> MINUTE;
            case "h" -> HOUR;
            case "d" -> DAY;
            default -> 1;
        };
        return multiply(m.group(1), unit).map(Duration::ofMillis);
    }

    /** A non-negative number of bytes (KB, MB and GB are 1024-based), or empty when the text is not one. */
    static Optional<Long> parseSize(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long unit = switch (m.group(2) == null ? "" : m.group(2).toUpperCase(Locale.ROOT)) {
            case "KB" -> KB;
            case "MB" -> MB;
            case "GB" -> GB;
            default -> 1;
        };
        return multiply(m.group(1), unit);
    }

    /** Writes a duration in the largest unit that represents it exactly, as an operator would. */
    static String formatDuration(Duration duration) {
        long millis = duration.toMillis();
        if (millis == 0) {
            return "0ms";
        }
        if (millis % DAY == 0) {
            return millis / DAY + "d";
        }
        if (millis % HOUR == 0) {
            return millis / HOUR + "h";
        }
        if (millis % MINUTE == 0) {
            return millis / MINUTE + "m";
        }
        if (millis % SECOND == 0) {
            return millis / SECOND + "s";
        }
        return millis + "ms";
    }

    /** Writes a byte count in the largest unit that represents it exactly. */
    static String formatSize(long bytes) {
        if (bytes != 0 && bytes % GB == 0) {
            return bytes / GB + "GB";
        }
        if (bytes != 0 && bytes % MB == 0) {
            return bytes / MB + "MB";
        }
        if (bytes != 0 && bytes % KB == 0) {
            return bytes / KB + "KB";
        }
        return Long.toString(bytes);
    }

    private static Optional<Long> multiply(String digits, long unit) {
        try {
            return Optional.of(Math.multiplyExact(Long.parseLong(digits), unit));
        } catch (NumberFormatException | ArithmeticException tooLarge) {
            return Optional.empty();
        }
    }
}
