package io.junction.interop.openwire.javax;

import io.junction.core.spi.ProtocolModule;
import io.junction.interop.support.ProtocolModules;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.ActiveMQConnectionMetaData;
import org.apache.activemq.command.ActiveMQMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the copied tests here rest on: they drive the ActiveMQ 5.x client, on javax.jms as a legacy
 * application has it, while the broker reads OpenWire with the activemq-client 6.x it ships with.
 */
class ClientAndBrokerLibrariesTest {

    @Test
    void testsUseThe5xClientOnJavaxJms() {
        assertThat(ActiveMQConnectionMetaData.PROVIDER_VERSION)
                .isEqualTo(System.getProperty("junction.test.activemq5.version"));
        assertThat(javax.jms.Message.class).isAssignableFrom(ActiveMQMessage.class);
        assertThatThrownBy(() -> Class.forName("jakarta.jms.Message"))
                .as("no jakarta.jms beside the 5.x client, as in a legacy application")
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void brokerKeepsItsOwnOpenWireLibrary() throws Exception {
        ProtocolModule openWire = ProtocolModules.discover().get("openwire");
        assertThat(openWire).isNotNull();
        ClassLoader brokerSide = openWire.getClass().getClassLoader();
        assertThat(brokerSide).isNotSameAs(ActiveMQConnectionFactory.class.getClassLoader());
        assertThat(getClass().getClassLoader().getResource("io/junction/openwire/OpenWireProtocolModule.class"))
                .as("protocol-openwire is off the test class path, where it would link to the 5.x client")
                .isNull();
        Class<?> metaData = Class.forName("org.apache.activemq.ActiveMQConnectionMetaData", true, brokerSide);
        assertThat(metaData.getField("PROVIDER_VERSION").get(null))
                .isEqualTo(System.getProperty("junction.test.activemq.version"));
        assertThat(Class.forName("jakarta.jms.Message", false, brokerSide)
                .isAssignableFrom(Class.forName("org.apache.activemq.command.ActiveMQMessage", false, brokerSide)))
                .isTrue();
    }
}
