package io.junction.core.config;

import io.junction.core.model.Destination;
import io.junction.core.model.DestinationType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads the {@code destinations} section: global flags, policies and composites. */
final class DestinationsReader {

    static final List<String> KEYS =
            List.of("autoCreateQueues", "autoCreateTopics", "expiryScanInterval", "policies", "composites");
    static final List<String> POLICY_KEYS = List.of("match", "type", "autoCreate", "maxRedeliveries",
            "redeliveryDelay", "deadLetterQueue", "deadLetterPerDestination", "expiry", "expiryQueue", "memoryLimit",
            "fullPolicy");
    static final List<String> COMPOSITE_KEYS = List.of("name", "type", "targets");

    private static final String COMPOSITE_TYPES = "queue, topic";
    private static final String TARGET_FORM = "queue://<name>, topic://<name> or a plain queue name";

    private DestinationsReader() {
    }

    static DestinationsConfig read(YamlMap root) {
        YamlMap section = root.map("destinations", KEYS);
        DestinationsConfig defaults = DestinationsConfig.DEFAULTS;
        return new DestinationsConfig(
                section.scalar("autoCreateQueues").map(Scalar::asBoolean).orElse(defaults.autoCreateQueues()),
                section.scalar("autoCreateTopics").map(Scalar::asBoolean).orElse(defaults.autoCreateTopics()),
                section.scalar("expiryScanInterval")
                        .map(value -> value.asDuration(DestinationsConfig.MIN_EXPIRY_SCAN_INTERVAL))
                        .orElse(defaults.expiryScanInterval()),
                section.mapList("policies", POLICY_KEYS).stream().map(DestinationsReader::readPolicy).toList(),
                readComposites(section));
    }

    private static DestinationPolicy readPolicy(YamlMap item) {
        Scalar match = item.required("match");
        DestinationNames.patternProblem(match.text()).ifPresent(problem -> {
            throw match.invalid(DestinationNames.PATTERN_FORM, problem);
        });
        PolicyValues defaults = PolicyValues.DEFAULTS;
        PolicyValues values = new PolicyValues(
                item.scalar("maxRedeliveries")
                        .map(v -> (int) v.asWholeNumber(PolicyValues.UNLIMITED, Integer.MAX_VALUE,
                                "a whole number of at least 0, or -1 for unlimited"))
                        .orElse(defaults.maxRedeliveries()),
                item.scalar("redeliveryDelay").map(v -> v.asDuration(Duration.ZERO)).orElse(defaults.redeliveryDelay()),
                item.scalar("deadLetterQueue").map(DestinationsReader::plainName).orElse(defaults.deadLetterQueue()),
                item.scalar("deadLetterPerDestination").map(Scalar::asBoolean)
                        .orElse(defaults.deadLetterPerDestination()),
                item.scalar("expiry").map(v -> v.asChoice(ExpiryAction::byYamlName, ExpiryAction.NAMES))
                        .orElse(defaults.expiry()),
                item.scalar("expiryQueue").map(DestinationsReader::plainName).orElse(defaults.expiryQueue()),
                item.scalar("memoryLimit").map(v -> v.asSize(PolicyValues.MIN_MEMORY_LIMIT))
                        .orElse(defaults.memoryLimit()),
                item.scalar("fullPolicy").map(v -> v.asChoice(FullPolicy::byYamlName, FullPolicy.NAMES))
                        .orElse(defaults.fullPolicy()));
        return new DestinationPolicy(match.text(),
                item.scalar("type").map(v -> v.asChoice(PolicyType::byYamlName, PolicyType.NAMES)).orElse(PolicyType.ANY),
                item.scalar("autoCreate").map(Scalar::asBoolean),
                values);
    }

    private static List<CompositeConfig> readComposites(YamlMap section) {
        List<CompositeConfig> composites = new ArrayList<>();
        Set<Destination> names = new HashSet<>();
        for (YamlMap item : section.mapList("composites", COMPOSITE_KEYS)) {
            CompositeConfig composite = readComposite(item);
            if (!names.add(composite.destination())) {
                throw item.required("name").error("composite " + composite.destination() + " is declared twice");
            }
            composites.add(composite);
        }
        return composites;
    }

    private static CompositeConfig readComposite(YamlMap item) {
        String name = plainName(item.required("name"));
        DestinationType type = item.scalar("type")
                .map(v -> v.asChoice(DestinationsReader::compositeType, COMPOSITE_TYPES))
                .orElse(DestinationType.QUEUE);
        List<Scalar> given = item.scalarList("targets").orElseThrow(() -> item.missing("targets"));
        if (given.isEmpty()) {
            throw item.error("targets", "'targets' of composite '" + name + "' names no destination",
                    "write " + TARGET_FORM);
        }
        Destination self = new Destination(type, name);
        Set<Destination> targets = new LinkedHashSet<>();
        for (Scalar value : given) {
            Destination target = target(value);
            if (target.equals(self)) {
                throw value.error("composite " + self + " cannot target itself");
            }
            if (!targets.add(target)) {
                throw value.error("target " + target + " is listed twice in composite '" + name + "'");
            }
        }
        return new CompositeConfig(name, type, List.copyOf(targets));
    }

    private static Destination target(Scalar value) {
        for (DestinationType type : List.of(DestinationType.QUEUE, DestinationType.TOPIC)) {
            if (value.text().startsWith(type.prefix())) {
                return new Destination(type, destinationName(value, value.text().substring(type.prefix().length())));
            }
        }
        if (value.text().contains("://")) {
            throw value.invalid(TARGET_FORM);
        }
        return Destination.queue(destinationName(value, value.text()));
    }

    /** A destination name without wildcards, as the whole value. */
    private static String plainName(Scalar value) {
        return destinationName(value, value.text());
    }

    private static String destinationName(Scalar value, String name) {
        DestinationNames.nameProblem(name).ifPresent(problem -> {
            throw value.invalid(DestinationNames.NAME_FORM, problem);
        });
        return name;
    }

    private static Optional<DestinationType> compositeType(String name) {
        return switch (name) {
            case "queue" -> Optional.of(DestinationType.QUEUE);
            case "topic" -> Optional.of(DestinationType.TOPIC);
            default -> Optional.empty();
        };
    }
}
