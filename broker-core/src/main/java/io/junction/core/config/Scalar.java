package io.junction.core.config;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * One scalar value of the file, after variable substitution, with what is needed to report a
 * bad value at its line: "'port' must be a whole number from 0 to 65535, was 'abc'".
 *
 * @param key  the key (or list) the value belongs to, as named in messages
 * @param text the value with {@code ${...}} references replaced
 */
record Scalar(YamlSource source, Node node, String key, String text) {

    ConfigException error(String problem, String hint) {
        return source.error(node, problem, hint);
    }

    ConfigException error(String problem) {
        return error(problem, null);
    }

    /** The error for a value that is not of the accepted form. */
    ConfigException invalid(String acceptedForm) {
        return invalid(acceptedForm, null);
    }

    ConfigException invalid(String acceptedForm, String hint) {
        return error("'" + key + "' must be " + acceptedForm + ", was '" + text + "'", hint);
    }

    String nonEmpty() {
        if (text.isBlank()) {
            throw invalid("a non-empty text");
        }
        return text;
    }

    boolean asBoolean() {
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid("true or false");
        };
    }

    /** A whole number in [min, max]; {@code acceptedForm} describes that range for the message. */
    long asWholeNumber(long min, long max, String acceptedForm) {
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // reported below, with the accepted form
        }
        throw invalid(acceptedForm);
    }

    int asInt(long min) {
        return (int) asWholeNumber(min, Integer.MAX_VALUE, "a whole number of at least " + min);
    }

    Duration asDuration(Duration min) {
        Duration value = Units.parseDuration(text).orElseThrow(() -> invalid(Units.DURATION_FORM));
        if (value.compareTo(min) < 0) {
            throw invalid("a duration of at least " + Units.formatDuration(min));
        }
        return value;
    }

    long asSize(long minBytes) {
        long value = Units.parseSize(text).orElseThrow(() -> invalid(Units.SIZE_FORM));
        if (value < minBytes) {
            throw invalid("a size of at least " + Units.formatSize(minBytes));
        }
        return value;
    }

    long asSize(long minBytes, long maxBytes) {
        long value = Units.parseSize(text).orElseThrow(() -> invalid(Units.SIZE_FORM));
        if (value < minBytes || value > maxBytes) {
            throw invalid("a size from " + Units.formatSize(minBytes) + " to " + Units.formatSize(maxBytes));
        }
        return value;
    }

    /** One of a fixed set of names, e.g. {@code any | queue | topic}. */
    <E> E asChoice(Function<String, Optional<E>> byName, String acceptedNames) {
        return byName.apply(text).orElseThrow(() -> invalid("one of " + acceptedNames));
    }
}
