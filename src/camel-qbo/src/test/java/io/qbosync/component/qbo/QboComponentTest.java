package io.qbosync.component.qbo;

import io.qbosync.component.qbo.client.QboTokenProvider;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** URI parsing and option binding, without HTTP. */
class QboComponentTest {

    private DefaultCamelContext context;
    private final QboTokenProvider tokens = new QboTokenProvider() {
        @Override
        public String accessToken(String realmId) {
            throw new UnsupportedOperationException("not called in this test");
        }

        @Override
        public String refreshAfterRejection(String realmId, String rejectedAccessToken) {
            throw new UnsupportedOperationException("not called in this test");
        }
    };

    @BeforeEach
    void start() {
        context = new DefaultCamelContext();
        context.getRegistry().bind("myTokens", tokens);
        context.start();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void componentIsDiscoveredByScheme() {
        assertThat(context.getComponent("qbo")).isInstanceOf(QboComponent.class);
    }

    @Test
    void bindsOptionsToTheEndpointsOwnConfiguration() {
        QboEndpoint e = context.getEndpoint("qbo:update:Customer?realmId=9130&sparse=false&baseUrl=http://h:1"
                + "&minorVersion=70&requestTimeout=5000&connectTimeout=700&maxResults=50&fetchAll=false"
                + "&allowDuplicateDocNumber=true&tokenProvider=#myTokens", QboEndpoint.class);
        assertThat(e.getOperation()).isEqualTo(QboOperation.UPDATE);
        assertThat(e.getEntity()).isEqualTo("Customer");
        QboConfiguration c = e.getConfiguration();
        assertThat(c.getRealmId()).isEqualTo("9130");
        assertThat(c.isSparse()).isFalse();
        assertThat(c.getBaseUrl()).isEqualTo("http://h:1");
        assertThat(c.getMinorVersion()).isEqualTo(70);
        assertThat(c.getRequestTimeout()).isEqualTo(5000);
        assertThat(c.getConnectTimeout()).isEqualTo(700);
        assertThat(c.getMaxResults()).isEqualTo(50);
        assertThat(c.isFetchAll()).isFalse();
        assertThat(c.isAllowDuplicateDocNumber()).isTrue();
        assertThat(c.getTokenProvider()).isSameAs(tokens);

        QboEndpoint plain = context.getEndpoint("qbo:read:Invoice", QboEndpoint.class);
        assertThat(plain.getConfiguration()).isNotSameAs(c);
        assertThat(plain.getConfiguration().isSparse()).isTrue();
        assertThat(plain.getConfiguration().getMinorVersion()).isEqualTo(75);
        assertThat(plain.getConfiguration().getRealmId()).isNull();
    }

    @Test
    void cdcAndBatchNeedNoEntity() {
        QboEndpoint cdc = context.getEndpoint("qbo:cdc?entities=Invoice,Payment", QboEndpoint.class);
        assertThat(cdc.getOperation()).isEqualTo(QboOperation.CDC);
        assertThat(cdc.getEntity()).isNull();
        assertThat(cdc.getConfiguration().getEntities()).isEqualTo("Invoice,Payment");
        assertThat(context.getEndpoint("qbo:batch", QboEndpoint.class).getOperation()).isEqualTo(QboOperation.BATCH);
        assertThat(context.getEndpoint("qbo:query:Customer", QboEndpoint.class).getEntity()).isEqualTo("Customer");
    }

    @Test
    void rejectsBadUris() {
        assertThatThrownBy(() -> context.getEndpoint("qbo:create")).isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("needs an entity");
        assertThatThrownBy(() -> context.getEndpoint("qbo:frobnicate:Customer"))
                .isInstanceOf(ResolveEndpointFailedException.class).hasMessageContaining("Unknown qbo operation");
        assertThatThrownBy(() -> context.getEndpoint("qbo:read:Customer?noSuchOption=1"))
                .isInstanceOf(ResolveEndpointFailedException.class).hasMessageContaining("noSuchOption");
    }
}
