package io.qbosync.gateway;

import java.util.List;
import java.util.Map;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.qbosync.component.qbo.QboConstants;
import io.qbosync.component.qbo.QboFaultException;
import io.qbosync.component.qbo.client.QboJson;
import io.qbosync.sync.SyncHeaders;

/**
 * The QBO calls Java beans make (fault handlers, matching, onboarding, the sync center), sent through the
 * {@code qbo-calls-*} routes (routes/qbo-calls.camel.yaml) and so through {@code qbo:}: Hawtio counts them with the
 * rest, and the component's governor, OAuth and requestid rules apply. A QBO fault comes back as the
 * {@link QboFaultException} the component threw, for the caller to decide on.
 */
@Component("qboGateway")
public class QboGateway {

    private final ProducerTemplate camel;
    private final ObjectMapper mapper = QboJson.newMapper();

    public QboGateway(ProducerTemplate camel) {
        this.camel = camel;
    }

    /** The JSON mapper for the bodies handed to the write methods. */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** The entity with that Id. QBO's 610 (deleted or no such id) is thrown like any fault. */
    public Map<String, Object> read(String realmId, String entity, String id) {
        return map(call("direct:qbo-read", realmId, entity, null, m -> m.setHeader(QboConstants.ENTITY_ID, id)));
    }

    /** Every row of the statement (QBO pages of 1000 are followed unless the statement pages itself). */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> query(String realmId, String statement) {
        return (List<Map<String, Object>>) call("direct:qbo-query", realmId, null, null,
                m -> m.setHeader(QboConstants.QUERY, statement));
    }

    /** Creates the entity under {@code requestId} (QBO replays its first answer to a repeated requestid). */
    public Map<String, Object> create(String realmId, String entity, Object body, String requestId) {
        return map(call("direct:qbo-create", realmId, entity, requestId, m -> m.setBody(body)));
    }

    /** Updates the entity ({@code Id} and {@code SyncToken} in the body), sparse unless {@code sparse} is false. */
    public Map<String, Object> update(String realmId, String entity, Object body, boolean sparse, String requestId) {
        return map(call("direct:qbo-update", realmId, entity, requestId, m -> {
            m.setBody(body);
            m.setHeader(SyncHeaders.CALL_SPARSE, sparse);
        }));
    }

    /** Voids the transaction with that Id at its current SyncToken. */
    public Map<String, Object> voidTransaction(String realmId, String entity, String id, String syncToken,
                                               String requestId) {
        return map(call("direct:qbo-void", realmId, entity, requestId, m -> {
            m.setHeader(QboConstants.ENTITY_ID, id);
            m.setHeader(QboConstants.SYNC_TOKEN, syncToken);
        }));
    }

    /** A QBO query literal: single quotes, with {@code '} and {@code \} escaped by a backslash. */
    public static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private Object call(String uri, String realmId, String entity, String requestId,
                        java.util.function.Consumer<Message> request) {
        Exchange done = camel.send(uri, exchange -> {
            Message m = exchange.getIn();
            m.setHeader(QboConstants.REALM_ID, realmId);
            if (entity != null) {
                m.setHeader(SyncHeaders.CALL_ENTITY, entity);
            }
            if (requestId != null) {
                m.setHeader(QboConstants.REQUEST_ID, requestId);
            }
            request.accept(m);
        });
        Exception failure = done.getException();
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure != null) {
            throw new CamelExecutionException("QBO call through " + uri + " failed", done, failure);
        }
        return done.getMessage().getBody();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object body) {
        return (Map<String, Object>) body;
    }
}
