package io.qbosync.config.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class ManagementLoopbackDefaultTest {

    @Test
    void aSeparateManagementPortListensOnLoopbackUnlessTheAddressIsSet() {
        assertThat(address(Map.of("management.server.port", "8081"))).isEqualTo("127.0.0.1");
        assertThat(address(Map.of("management.server.port", "0", "server.port", "0"))).isEqualTo("127.0.0.1");
        assertThat(address(Map.of("management.server.port", "8081", "management.server.address", "0.0.0.0")))
                .isEqualTo("0.0.0.0");
    }

    @Test
    void managementOnTheAppPortOrDisabledGetsNoAddress() {
        // Spring Boot refuses to start with management.server.address set in these cases.
        assertThat(address(Map.of())).isNull();
        assertThat(address(Map.of("management.server.port", ""))).isNull();
        assertThat(address(Map.of("management.server.port", "8080"))).isNull();
        assertThat(address(Map.of("management.server.port", "9000", "server.port", "9000"))).isNull();
        assertThat(address(Map.of("management.server.port", "-1"))).isNull();
    }

    @Test
    void theDefaultFollowsPortsSetAfterStartUpPreparation() {
        StandardEnvironment environment = environment(Map.of("management.server.port", "8081"));
        assertThat(environment.getProperty("management.server.address")).isEqualTo("127.0.0.1");
        // A test's dynamic properties arrive after environment post-processing; the default must see them.
        environment.getPropertySources().addFirst(new MapPropertySource("later", Map.of("management.server.port", "")));
        assertThat(environment.getProperty("management.server.address")).isNull();
    }

    private static String address(Map<String, Object> properties) {
        return environment(properties).getProperty("management.server.address");
    }

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", new HashMap<>(properties)));
        new ManagementLoopbackDefault().postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }
}
