package io.qbosync.config;

import com.zaxxer.hikari.HikariDataSource;
import io.qbosync.component.qbo.QboComponent;
import io.qbosync.component.qbo.QboConfiguration;
import io.qbosync.component.qbo.client.OAuthTokenManager;
import io.qbosync.component.qbo.client.QboClient;
import io.qbosync.component.qbo.client.RealmRateGovernor;
import io.qbosync.component.qbo.client.TokenCipher;
import io.qbosync.store.GovernorMemberRepository;
import io.qbosync.store.GovernorMembership;
import io.qbosync.store.QboConnectionRepository;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The Spring wiring: bean names, property keys and defaults. */
class QboComponentConfigTest {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withBean(DataSource.class, () -> {
                    HikariDataSource ds = new HikariDataSource();
                    ds.setJdbcUrl("jdbc:h2:file:" + dir.resolve("db").toAbsolutePath());
                    Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
                    return ds;
                })
                .withUserConfiguration(QboComponentConfig.class)
                .withPropertyValues("qbosync.data-dir=" + dir.toAbsolutePath());
    }

    @Test
    void createsTheContractBeansWithDefaults() {
        runner().run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx.getBean("qbo")).isInstanceOf(QboComponent.class);
            assertThat(ctx.getBean("qboClient")).isInstanceOf(QboClient.class);
            assertThat(ctx.getBean("oauthTokenManager")).isInstanceOf(OAuthTokenManager.class);
            assertThat(ctx.getBean("tokenCipher")).isInstanceOf(TokenCipher.class);
            assertThat(ctx.getBean("qboConnectionRepository")).isInstanceOf(QboConnectionRepository.class);
            assertThat(ctx.getBean("realmRateGovernor")).isInstanceOf(RealmRateGovernor.class);
            QboClient client = ctx.getBean(QboClient.class);
            assertThat(client.settings().minorVersion()).isEqualTo(75);
            assertThat(client.tokenProvider()).isSameAs(ctx.getBean(OAuthTokenManager.class));
            assertThat(ctx.getBean(QboComponent.class).getClient()).isSameAs(client);
            RealmRateGovernor g = ctx.getBean(RealmRateGovernor.class);
            assertThat(g.effectiveLimit()).isEqualTo(495);
            assertThat(g.maxConcurrent()).isEqualTo(8);
            assertThat(dir.resolve("keys/token.key")).exists();
            io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
                    new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
            ctx.getBean("qboMetrics", io.micrometer.core.instrument.binder.MeterBinder.class).bindTo(registry);
            g.onThrottled("r1", java.util.Optional.of(Duration.ZERO));
            assertThat(registry.get("qbo.governor.throttled").functionCounter().count()).isEqualTo(1.0);
            // Shared through the database by default: the first request joins the realm as its only member.
            GovernorMembership membership = ctx.getBean("governorMembership", GovernorMembership.class);
            g.acquire("r2").close();
            assertThat(membership.members("r2")).contains(1);
            assertThat(ctx.getBean(GovernorMemberRepository.class).members("r2"))
                    .extracting(GovernorMemberRepository.Member::memberId).containsExactly(membership.memberId());
            assertThat(registry.get("qbo.governor.members").tag("realm", "r2").gauge().value()).isEqualTo(1.0);
            assertThat(registry.get("qbo.governor.budget").tag("realm", "r2").gauge().value()).isEqualTo(495.0);
            assertThat(registry.get("qbo.oauth.refreshes").functionCounter().count()).isZero();
        });
    }

    @Test
    void honoursTheProperties() {
        runner().withPropertyValues("qbo.api.base-url=http://qbo.test:9", "qbo.api.minor-version=73",
                "qbo.api.connect-timeout-ms=1234", "qbo.api.request-timeout-ms=4321", "qbo.api.max-connections=4",
                "qbo.governor.requests-per-minute=100", "qbo.governor.margin=0.5", "qbo.governor.max-concurrent=2",
                "qbo.governor.shared=false",
                "qbosync.crypto.key=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            QboClient client = ctx.getBean(QboClient.class);
            assertThat(client.settings().baseUrl()).isEqualTo("http://qbo.test:9");
            assertThat(client.settings().minorVersion()).isEqualTo(73);
            assertThat(client.settings().connectTimeout()).isEqualTo(Duration.ofMillis(1234));
            assertThat(client.settings().requestTimeout()).isEqualTo(Duration.ofMillis(4321));
            assertThat(client.settings().maxConnections()).isEqualTo(4);
            QboConfiguration defaults = ctx.getBean(QboComponent.class).getConfiguration();
            assertThat(defaults.getMinorVersion()).isEqualTo(73);
            assertThat(defaults.getRequestTimeout()).isEqualTo(4321);
            RealmRateGovernor g = ctx.getBean(RealmRateGovernor.class);
            assertThat(g.effectiveLimit()).isEqualTo(50);
            assertThat(g.maxConcurrent()).isEqualTo(2);
            assertThat(dir.resolve("keys/token.key")).doesNotExist();
            assertThat(ctx).doesNotHaveBean(GovernorMembership.class);
            g.acquire("r1").close();
            assertThat(g.stats("r1").members()).as("not shared: the whole budget").isEqualTo(1);
            assertThat(g.stats("r1").windowLimit()).isEqualTo(50);
        });
    }
}
