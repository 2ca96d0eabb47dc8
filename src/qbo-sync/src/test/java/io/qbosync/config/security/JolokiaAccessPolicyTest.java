package io.qbosync.config.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import javax.management.ObjectName;

import io.qbosync.config.UnsafeStartException;
import org.jolokia.server.core.restrictor.policy.PolicyRestrictor;
import org.jolokia.server.core.util.RequestType;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/**
 * The shipped jolokia-access.xml, read by Jolokia's own PolicyRestrictor: what an ADMIN may invoke. The same rules
 * are exercised over HTTP in SecurityHardeningIT.
 */
class JolokiaAccessPolicyTest {

    private static final String CONTEXT = "org.apache.camel:context=qbo-sync,type=context,name=\"qbo-sync\"";
    private static final String ROUTE = "org.apache.camel:context=qbo-sync,type=routes,name=\"qbo-push-invoices\"";
    private static final String QUEUE = "org.apache.activemq.artemis:broker=\"0.0.0.0\",component=addresses,"
            + "address=\"qbo.customers\",subcomponent=queues,routing-type=\"anycast\",queue=\"qbo.customers\"";

    private final PolicyRestrictor policy = shipped();

    @Test
    void readsAreAllowedAndWritesAndOtherCommandsAreNot() throws Exception {
        assertThat(policy.isTypeAllowed(RequestType.READ)).isTrue();
        assertThat(policy.isTypeAllowed(RequestType.LIST)).isTrue();
        assertThat(policy.isTypeAllowed(RequestType.SEARCH)).isTrue();
        assertThat(policy.isTypeAllowed(RequestType.VERSION)).isTrue();
        assertThat(policy.isTypeAllowed(RequestType.EXEC)).isFalse();
        assertThat(policy.isTypeAllowed(RequestType.WRITE)).isFalse();
        assertThat(policy.isTypeAllowed(RequestType.NOTIFICATION)).isFalse();
        assertThat(policy.isTypeAllowed(RequestType.CONFIG)).isFalse();
        assertThat(policy.isAttributeReadAllowed(name("java.lang:type=Memory"), "HeapMemoryUsage")).isTrue();
        for (String mbean : new String[] {"java.lang:type=Memory", "qbosync:type=Issues", ROUTE, QUEUE, CONTEXT}) {
            assertThat(policy.isAttributeWriteAllowed(name(mbean), "Verbose")).as(mbean).isFalse();
        }
    }

    @Test
    void whatMayBeInvoked() throws Exception {
        allowed("qbosync:type=Operations,name=Records", "resync", "pollNow", "matchBySearch(long,java.lang.String)");
        allowed("qbosync:type=Issues,context=1a2b", "newestOpen(int)");
        allowed(ROUTE, "start", "stop()", "stop(long)", "suspend", "suspend()", "resume", "resume()",
                "dumpRouteAsXml()", "dumpRouteStatsAsXml(boolean,boolean)");
        allowed(CONTEXT, "dumpRoutesAsXml()", "dumpRoutesStatsAsXml(boolean,boolean)", "componentNames()");
        allowed(QUEUE, "browse()", "browse(int,int)", "countMessages()", "countMessages(java.lang.String)",
                "listMessagesAsJSON(java.lang.String)", "retryMessage(long)", "retryMessages()", "removeMessage(long)",
                "removeMessages(java.lang.String)", "moveMessage(long,java.lang.String)",
                "moveMessages(java.lang.String,java.lang.String)", "pause()", "resume()");
        allowed("java.lang:type=Threading", "dumpAllThreads(boolean,boolean)", "dumpAllThreads(boolean, boolean)");
        allowed("org.springframework.boot:type=Endpoint,name=Health", "health()");
        allowed("hawtio:type=security,area=jmx,name=HawtioDummyJMXSecurity", "canInvoke(java.lang.String)");
    }

    @Test
    void whatNeverMayBeInvoked() throws Exception {
        denied(CONTEXT, "sendBody", "sendBody(java.lang.String,java.lang.Object)", "sendStringBody",
                "sendBodyAndHeaders", "requestBody", "requestStringBody", "requestBodyAndHeaders",
                "addOrUpdateRoutesFromXml", "stop", "suspend", "dumpRoutesAsXml(boolean)",
                "dumpRoutesAsXml(boolean,boolean)", "dumpRoutesAsXml");
        denied(ROUTE, "remove()", "updateRouteFromXml(java.lang.String)", "dumpRouteAsXml(boolean)",
                "startX", "stopAndRemove", "resumeEverything()", "start()x");
        denied("org.apache.camel:context=qbo-sync,type=endpoints,name=\"file://tmp\"", "start");
        denied("com.sun.management:type=DiagnosticCommand", "gcHeapDump", "vmSystemProperties", "jfrStart",
                "compilerDirectivesAdd");
        denied("com.sun.management:type=HotSpotDiagnostic", "dumpHeap", "dumpHeap(java.lang.String,boolean)",
                "setVMOption");
        denied("jdk.management.jfr:type=FlightRecorder", "newRecording", "startRecording");
        denied("java.lang:type=Memory", "gc", "gc()");
        denied("java.lang:type=Threading", "resetPeakThreadCount", "setThreadCpuTimeEnabled");
        denied("org.springframework.boot:type=Endpoint,name=Loggers", "configureLogLevel");
        denied("org.springframework.boot:type=Admin,name=SpringApplication", "shutdown");
        denied("jolokia:type=Discovery", "lookupAgents");
        denied(QUEUE, "sendMessage", "removeAllMessages");
        denied("org.apache.activemq.artemis:broker=\"0.0.0.0\"", "createQueue", "deleteAddress", "stop");
    }

    @Test
    void theShippedPolicyIsWhatStartUpVerifies() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("management.endpoint.jolokia.config.policyLocation", "classpath:/jolokia-access.xml");
        assertThat(JolokiaAccessPolicy.verify(environment).location()).isEqualTo("classpath:/jolokia-access.xml");
    }

    @Test
    void startUpIsRefusedWithoutAPolicyJolokiaCanFind() {
        assertThatThrownBy(() -> JolokiaAccessPolicy.verify(new MockEnvironment()))
                .isInstanceOf(UnsafeStartException.class)
                .hasMessageStartingWith("Refusing to start: management.endpoint.jolokia.config.policyLocation is not set");
        assertThatThrownBy(() -> JolokiaAccessPolicy.verify(new MockEnvironment()
                .withProperty("management.endpoint.jolokia.config.policyLocation", "classpath:/jolokia-acces.xml")))
                .hasMessageContaining("classpath:/jolokia-acces.xml").hasMessageContaining("does not exist");
    }

    private void allowed(String mbean, String... operations) throws Exception {
        for (String operation : operations) {
            assertThat(policy.isOperationAllowed(name(mbean), operation)).as(mbean + " " + operation).isTrue();
        }
    }

    private void denied(String mbean, String... operations) throws Exception {
        for (String operation : operations) {
            assertThat(policy.isOperationAllowed(name(mbean), operation)).as(mbean + " " + operation).isFalse();
        }
    }

    private static ObjectName name(String name) throws Exception {
        return new ObjectName(name);
    }

    private static PolicyRestrictor shipped() {
        try (InputStream in = JolokiaAccessPolicyTest.class.getResourceAsStream("/jolokia-access.xml")) {
            return new PolicyRestrictor(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
