package io.junction.bench;

import java.util.Collection;
import java.util.Comparator;

/** The median run of a repeated measurement, the one the result tables show. */
public final class Median {

    private Median() {
    }

    /** The middle item by {@code order} (of two middle ones, the upper), or null when there are none. */
    public static <T> T of(Collection<T> items, Comparator<? super T> order) {
        return items.stream().sorted(order).skip(items.size() / 2).findFirst().orElse(null);
    }
}
