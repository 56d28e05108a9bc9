package io.junction.core.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.core.model.BodyType;
import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.junction.core.selector.Selector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Selectors see a message's JMS header fields by their JMS names and its user properties. */
class MessageSelectorContextTest {

    private static final Message MESSAGE = Message.builder(Destination.queue("orders"))
            .persistent(true)
            .priority(7)
            .timestamp(1_700_000_000_000L)
            .expiration(4_000_000_000_000L)
            .messageId("ID:1")
            .correlationId("corr-9")
            .type("order")
            .group("g1", 3)
            .property("region", "eu")
            .property("amount", 250)
            .property("JMSType", "shadowed")
            .property("raw", new byte[] {1, 2})
            .body(BodyType.BYTES, new byte[0])
            .build();

    private static final Message PLAIN = Message.builder(Destination.queue("orders")).textBody("x").build();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = "|", textBlock = """
            JMSPriority = 7                         | true
            JMSPriority > 4 AND JMSPriority < 9     | true
            JMSType = 'order'                       | true
            JMSCorrelationID = 'corr-9'             | true
            JMSMessageID = 'ID:1'                   | true
            JMSTimestamp = 1700000000000            | true
            JMSExpiration > 0                       | true
            JMSDeliveryMode = 'PERSISTENT'          | true
            JMSXGroupID = 'g1' AND JMSXGroupSeq = 3 | true
            region = 'eu' AND amount BETWEEN 100 AND 300 | true
            raw IS NULL                             | true
            missing IS NULL                         | true
            region = 'us'                           | false
            """)
    void headerFieldsAndProperties(String selector, boolean matches) throws Exception {
        assertThat(Selector.parse(selector).matches(new MessageSelectorContext(MESSAGE))).isEqualTo(matches);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = "|", textBlock = """
            JMSDeliveryMode = 'NON_PERSISTENT'      | true
            JMSPriority = 4                         | true
            JMSType IS NULL                         | true
            JMSCorrelationID IS NULL                | true
            JMSXGroupSeq IS NULL                    | true
            JMSExpiration = 0                       | true
            """)
    void defaultsOfAMessageWithoutHeaders(String selector, boolean matches) throws Exception {
        assertThat(Selector.parse(selector).matches(new MessageSelectorContext(PLAIN))).isEqualTo(matches);
    }
}
