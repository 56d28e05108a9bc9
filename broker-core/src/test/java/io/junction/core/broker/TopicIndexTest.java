package io.junction.core.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicIndexTest {

    private final TopicIndex index = new TopicIndex();
    private int created;

    /** Subscriptions are told apart by their key; the index looks at nothing but the pattern. */
    private TopicSubscription subscribe(String pattern) {
        TopicSubscription subscription = new TopicSubscription(pattern, null, null, "subscription-" + ++created, null);
        index.add(subscription);
        return subscription;
    }

    private List<TopicSubscription> matches(String topic) {
        List<TopicSubscription> visited = new ArrayList<>();
        index.match(topic, visited::add);
        return visited;
    }

    @Test
    void exactPatternMatchesOnlyThatName() {
        TopicSubscription paid = subscribe("orders.eu.paid");

        assertThat(matches("orders.eu.paid")).containsExactly(paid);
        assertThat(matches("orders.eu")).isEmpty();
        assertThat(matches("orders.eu.paid.late")).isEmpty();
        assertThat(matches("orders.us.paid")).isEmpty();
        assertThat(matches("orders")).isEmpty();
    }

    @Test
    void starMatchesExactlyOneWord() {
        TopicSubscription anyRegion = subscribe("orders.*.paid");
        TopicSubscription anyTop = subscribe("*");

        assertThat(matches("orders.eu.paid")).containsExactly(anyRegion);
        assertThat(matches("orders.us.paid")).containsExactly(anyRegion);
        assertThat(matches("orders.paid")).isEmpty();
        assertThat(matches("orders.eu.north.paid")).isEmpty();
        assertThat(matches("orders")).containsExactly(anyTop);
    }

    @Test
    void greaterThanMatchesOneOrMoreRemainingWords() {
        TopicSubscription rest = subscribe("orders.>");

        assertThat(matches("orders.eu")).containsExactly(rest);
        assertThat(matches("orders.eu.paid")).containsExactly(rest);
        assertThat(matches("orders.eu.paid.late.again")).containsExactly(rest);
        assertThat(matches("ordersx.eu")).isEmpty();
        assertThat(matches("other.orders.eu")).isEmpty();
    }

    @Test
    void greaterThanAlsoMatchesTheParentName() {
        subscribe("orders.>");
        subscribe("orders.*.>");

        // MQTT's "orders/#" matches "orders" [MQTT-4.7.1-2]; the core wildcard behaves the same.
        assertThat(matches("orders")).extracting(TopicSubscription::pattern).containsExactly("orders.>");
        assertThat(matches("orders.eu")).extracting(TopicSubscription::pattern)
                .containsExactlyInAnyOrder("orders.>", "orders.*.>");
    }

    @Test
    void leadingWildcardsDoNotMatchDollarTopics() {
        subscribe(">");
        subscribe("*.broker.uptime");
        subscribe("$SYS.>");

        // [MQTT-4.7.2-1]: a filter starting with a wildcard does not match topics starting with $.
        assertThat(matches("$SYS.broker.uptime")).extracting(TopicSubscription::pattern).containsExactly("$SYS.>");
        assertThat(TopicIndex.matches(TopicIndex.words(">"), TopicIndex.words("$SYS.x"))).isFalse();
        assertThat(TopicIndex.matches(TopicIndex.words("$SYS.>"), TopicIndex.words("$SYS"))).isTrue();
        assertThat(TopicIndex.matches(TopicIndex.words("a.*.c"), TopicIndex.words("a.b.c"))).isTrue();
        assertThat(TopicIndex.matches(TopicIndex.words("a.*"), TopicIndex.words("a.b.c"))).isFalse();
    }

    @Test
    void emptyWordsAreOrdinaryWords() {
        subscribe(".devices.*");
        subscribe("*.devices.>");

        assertThat(matches(".devices.a")).extracting(TopicSubscription::pattern)
                .containsExactlyInAnyOrder(".devices.*", "*.devices.>");
    }

    @Test
    void loneGreaterThanMatchesEveryTopic() {
        TopicSubscription everything = subscribe(">");

        assertThat(matches("a")).containsExactly(everything);
        assertThat(matches("a.b.c")).containsExactly(everything);
    }

    @Test
    void everyMatchingSubscriptionIsVisitedExactlyOnce() {
        List<TopicSubscription> matching = List.of(subscribe("a.b.c"), subscribe("a.*.c"), subscribe("a.>"),
                subscribe("*.b.>"), subscribe("*.*.*"), subscribe(">"), subscribe("a.b.c"));
        subscribe("a.b");
        subscribe("a.b.c.d");
        subscribe("*.x");

        assertThat(matches("a.b.c")).containsExactlyInAnyOrderElementsOf(matching);
    }

    @Test
    void manySubscriptionsOnlyTheMatchingOnesAreVisited() {
        List<TopicSubscription> all = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            all.add(subscribe("prices." + i + ".eur"));
        }
        TopicSubscription anyInstrument = subscribe("prices.*.eur");

        assertThat(matches("prices.1234.eur")).containsExactlyInAnyOrder(all.get(1234), anyInstrument);
        assertThat(matches("prices.99999.eur")).containsExactly(anyInstrument);
    }

    @Test
    void removingASubscriptionStopsItsMatchesAndKeepsTheOthers() {
        TopicSubscription first = subscribe("orders.*");
        TopicSubscription second = subscribe("orders.*");
        TopicSubscription exact = subscribe("orders.eu");

        index.remove(first);

        assertThat(matches("orders.eu")).containsExactlyInAnyOrder(second, exact);
    }

    @Test
    void removalPrunesBranchesLeftEmpty() {
        List<TopicSubscription> all = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            all.add(subscribe("t" + i + ".a.b." + i));
            all.add(subscribe("t" + i + ".*.>"));
        }
        all.add(subscribe(">"));

        all.forEach(index::remove);

        assertThat(index.isEmpty()).isTrue();
        assertThat(matches("t1.a.b.1")).isEmpty();
    }
}
