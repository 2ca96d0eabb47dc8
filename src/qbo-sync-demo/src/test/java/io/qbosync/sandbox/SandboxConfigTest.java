package io.qbosync.sandbox;

import io.qbosync.demo.SandboxConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.io.UncheckedIOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Spring configuration starts the sandbox from properties, stops it with the context, and can be off. */
class SandboxConfigTest {
    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(SandboxConfig.class);

    @Test
    void startsFromPropertiesAndClosesWithTheContext() {
        String[] base = new String[1];
        runner.withPropertyValues("qbo.sandbox.port=0", "qbo.sandbox.data-dir=" + dir,
                        "qbo.sandbox.access-token-ttl-seconds=120")
                .run(ctx -> {
                    QboSandbox sandbox = ctx.getBean(QboSandbox.class);
                    base[0] = sandbox.baseUrl();
                    assertThat(base[0]).startsWith("http://127.0.0.1:");
                    SandboxClient c = new SandboxClient(base[0]);
                    assertThat(c.admin("GET", "/sandbox/health", null).status()).isEqualTo(200);
                    assertThat(c.admin("POST", "/sandbox/realms", "").json().get("expiresIn").asInt()).isEqualTo(120);
                });
        assertThatThrownBy(() -> new SandboxClient(base[0]).admin("GET", "/sandbox/health", null))
                .isInstanceOf(UncheckedIOException.class);
        assertThat(dir.resolve("qbo-sandbox.mv.db")).exists();
    }

    @Test
    void canBeSwitchedOff() {
        runner.withPropertyValues("qbo.sandbox.enabled=false")
                .run(ctx -> assertThat(ctx).doesNotHaveBean(QboSandbox.class));
    }
}
