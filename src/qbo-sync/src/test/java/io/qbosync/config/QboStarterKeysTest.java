package io.qbosync.config;

import com.zaxxer.hikari.HikariDataSource;
import io.qbosync.component.qbo.QboComponent;
import io.qbosync.component.qbo.QboConfiguration;
import io.qbosync.component.qbo.springboot.QboComponentAutoConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import javax.sql.DataSource;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * camel-qbo-starter next to the app's own wiring: a camel.component.qbo.* key reaches the app's {@code qbo} bean,
 * and without keys that bean keeps the values it took from qboClient (qbo.api.*).
 */
class QboStarterKeysTest {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CamelAutoConfiguration.class,
                        QboComponentAutoConfiguration.class))
                .withBean(DataSource.class, () -> {
                    HikariDataSource ds = new HikariDataSource();
                    ds.setJdbcUrl("jdbc:h2:file:" + dir.resolve("db").toAbsolutePath());
                    Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
                    return ds;
                })
                .withUserConfiguration(QboComponentConfig.class)
                .withPropertyValues("qbosync.data-dir=" + dir.toAbsolutePath(), "qbo.governor.shared=false",
                        "qbo.api.minor-version=73");
    }

    private static QboComponent component(org.springframework.context.ApplicationContext ctx) {
        QboComponent qbo = ctx.getBean(CamelContext.class).getComponent("qbo", QboComponent.class);
        assertThat(qbo).as("the app's bean, not one Camel created").isSameAs(ctx.getBean("qbo"));
        return qbo;
    }

    @Test
    void aKeyReachesTheAppsComponent() {
        runner().withPropertyValues("camel.component.qbo.minor-version=70").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            QboComponent qbo = component(ctx);
            assertThat(qbo.getConfiguration().getMinorVersion()).isEqualTo(70);
            assertThat(qbo.getClient()).as("the app's client stays").isSameAs(ctx.getBean("qboClient"));
        });
    }

    @Test
    void withoutKeysTheAppsValuesStay() {
        runner().run(ctx -> {
            assertThat(ctx).hasNotFailed();
            QboConfiguration cfg = component(ctx).getConfiguration();
            assertThat(cfg.getMinorVersion()).as("qbo.api.minor-version, not the starter's 75").isEqualTo(73);
            assertThat(cfg.getRequestTimeout()).isEqualTo(60_000);
            assertThat(cfg.getRealmId()).isNull();
            assertThat(cfg.getBaseUrl()).isNull();
            // Camel's own autowiring (the only QboTokenProvider bean), with or without the starter.
            assertThat(cfg.getTokenProvider()).isSameAs(ctx.getBean("oauthTokenManager"));
        });
    }
}
