package io.qbosync.config.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.jolokia.server.core.util.RequestType;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class JolokiaRequestGuardTest {

    @Test
    void theRequestTypeIsReadAsJolokiaReadsIt() {
        assertThat(JolokiaRequestGuard.requestType("/exec/qbosync:type=Issues/newestOpen/5", null))
                .isEqualTo(RequestType.EXEC);
        assertThat(JolokiaRequestGuard.requestType("/Exec/x:a=b/op", null)).isEqualTo(RequestType.EXEC);
        assertThat(JolokiaRequestGuard.requestType("/write/java.lang:type=Memory/Verbose/true", null))
                .isEqualTo(RequestType.WRITE);
        assertThat(JolokiaRequestGuard.requestType("/read/java.lang:type=Memory/HeapMemoryUsage", null))
                .isEqualTo(RequestType.READ);
        assertThat(JolokiaRequestGuard.requestType("", null)).isEqualTo(RequestType.VERSION);
        assertThat(JolokiaRequestGuard.requestType("/", null)).isEqualTo(RequestType.VERSION);
        // The "p" parameter is used when the path is empty, as Jolokia does.
        assertThat(JolokiaRequestGuard.requestType("/", "/exec/x:a=b/op")).isEqualTo(RequestType.EXEC);
        assertThat(JolokiaRequestGuard.requestType("", "exec/x:a=b/op")).isEqualTo(RequestType.EXEC);
        assertThat(JolokiaRequestGuard.requestType("//", "exec/x:a=b/op")).isEqualTo(RequestType.EXEC);
        assertThat(JolokiaRequestGuard.requestType("/read/x:a=b/A", "exec/x:a=b/op")).isEqualTo(RequestType.READ);
        assertThat(JolokiaRequestGuard.requestType("/nonsense/x", null)).isNull();
    }

    @Test
    void onlyReadsArePassedOverGet() {
        assertThat(JolokiaRequestGuard.READ_ONLY).containsExactlyInAnyOrder(RequestType.READ, RequestType.LIST,
                RequestType.SEARCH, RequestType.VERSION);
    }

    @Test
    void sameOriginMeansSameSchemeHostAndPort() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/actuator/jolokia");
        request.setScheme("http");
        request.setServerName("console.example");
        request.setServerPort(8081);

        assertThat(SameOrigin.matches("http://console.example:8081", request)).isTrue();
        assertThat(SameOrigin.matches("HTTP://Console.Example:8081", request)).isTrue();
        assertThat(SameOrigin.matches("http://console.example:8080", request)).isFalse();
        assertThat(SameOrigin.matches("https://console.example:8081", request)).isFalse();
        assertThat(SameOrigin.matches("http://evil.example:8081", request)).isFalse();
        assertThat(SameOrigin.matches("http://console.example.evil.example:8081", request)).isFalse();
        assertThat(SameOrigin.matches("null", request)).isFalse();
        assertThat(SameOrigin.matches("not a url", request)).isFalse();

        request.setScheme("https");
        request.setServerPort(443);
        assertThat(SameOrigin.matches("https://console.example", request)).isTrue();
        assertThat(SameOrigin.matches("https://console.example:443", request)).isTrue();

        request.setServerName("[::1]");
        request.setServerPort(8443);
        assertThat(SameOrigin.matches("https://[::1]:8443", request)).isTrue();
    }
}
