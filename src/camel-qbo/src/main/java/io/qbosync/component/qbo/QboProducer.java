package io.qbosync.component.qbo;

import com.fasterxml.jackson.databind.JsonNode;
import io.qbosync.component.qbo.client.QboClient;
import io.qbosync.component.qbo.client.QboRequest;
import io.qbosync.component.qbo.client.QboResponse;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Sends one exchange to QBO. Reads the realm, ids, sync token, query and CDC window from headers (see
 * {@link QboConstants}), the entity from the body, and replaces the body with QBO's unwrapped answer. Faults are
 * thrown as {@link QboFaultException} after {@code QboHttpStatus}/{@code QboIntuitTid} were set.
 */
public class QboProducer extends DefaultProducer {

    /** Exchange property: the requestids this component generated on the exchange (an immutable set). */
    static final String GENERATED_REQUEST_IDS = "QboGeneratedRequestIds";
    /** Exchange property prefix (+ endpoint URI): {@code exchangeId|requestid} of a write not yet answered. */
    static final String PENDING_REQUEST_ID_PREFIX = "QboPendingRequestId:";

    private final QboEndpoint endpoint;
    private volatile QboClient client;

    public QboProducer(QboEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        client = endpoint.getComponent().clientFor(endpoint.getConfiguration());
    }

    @Override
    public void process(Exchange exchange) {
        Message msg = exchange.getMessage();
        QboConfiguration cfg = endpoint.getConfiguration();
        QboOperation op = endpoint.getOperation();
        String realm = msg.getHeader(QboConstants.REALM_ID, String.class);
        if (realm == null || realm.isBlank()) {
            realm = cfg.getRealmId();
        }
        if (realm == null || realm.isBlank()) {
            throw new IllegalArgumentException("No QBO realm: set header QboRealmId or endpoint option realmId");
        }
        QboRequest.Builder b = QboRequest.builder(op, realm)
                .entity(endpoint.getEntity())
                .baseUrl(cfg.getBaseUrl())
                .minorVersion(cfg.getMinorVersion())
                .requestTimeout(Duration.ofMillis(cfg.getRequestTimeout()))
                .tokenProvider(cfg.getTokenProvider())
                .sparse(cfg.isSparse())
                .allowDuplicateDocNumber(cfg.isAllowDuplicateDocNumber())
                .maxResults(cfg.getMaxResults())
                .fetchAll(cfg.isFetchAll());
        Long maxPermitWait = msg.getHeader(QboConstants.MAX_PERMIT_WAIT, Long.class);
        if (maxPermitWait != null && maxPermitWait > 0) {
            b.maxPermitWait(Duration.ofMillis(maxPermitWait));
        }
        Object body = msg.getBody();
        switch (op) {
            case CREATE, UPDATE, BATCH -> b.body(client.toJson(body))
                    .entityId(msg.getHeader(QboConstants.ENTITY_ID, String.class))
                    .syncToken(msg.getHeader(QboConstants.SYNC_TOKEN, String.class));
            case READ -> b.entityId(idFrom(msg, body));
            case VOID, DELETE -> b.entityId(msg.getHeader(QboConstants.ENTITY_ID, String.class))
                    .syncToken(msg.getHeader(QboConstants.SYNC_TOKEN, String.class))
                    .body(isJsonObject(body) ? client.toJson(body) : null);
            case QUERY -> b.statement(statementFrom(msg, body));
            case CDC -> b.entities(entitiesFrom(cfg)).changedSince(changedSince(msg));
        }
        if (op.isWrite()) {
            b.requestId(requestIdFor(exchange));
        }
        QboResponse resp;
        try {
            resp = client.execute(b.build());
        } catch (QboFaultException fault) {
            msg.setHeader(QboConstants.HTTP_STATUS, fault.httpStatus());
            if (fault.intuitTid() != null) {
                msg.setHeader(QboConstants.INTUIT_TID, fault.intuitTid());
            }
            throw fault;
        }
        if (op.isWrite()) {
            exchange.removeProperty(pendingKey()); // answered: the next write through here is a new one
        }
        msg.setBody(resp.body());
        msg.setHeader(QboConstants.HTTP_STATUS, resp.httpStatus());
        setOrRemove(msg, QboConstants.INTUIT_TID, resp.intuitTid());
        setOrRemove(msg, QboConstants.RESPONSE_TIME, resp.responseTime());
        switch (op) {
            case CREATE, READ, UPDATE, VOID, DELETE -> {
                Map<String, Object> entity = resp.map();
                setOrRemove(msg, QboConstants.ID, entity.get("Id"));
                setOrRemove(msg, QboConstants.SYNC_TOKEN, entity.get("SyncToken"));
            }
            case CDC -> msg.setHeader(QboConstants.CDC_TRUNCATED, resp.truncated());
            default -> {
            }
        }
    }

    /**
     * The requestid for a write. A caller-supplied {@code QboRequestId} header is used as is. Otherwise the id this
     * endpoint generated for an earlier, failed attempt of the same exchange is reused: Camel's redelivery restores
     * the message headers to their state before the failed call, so that id is kept in an exchange property (bound
     * to the exchange id, so split or multicast copies do not inherit it). Otherwise a new id is generated. Ids we
     * generated are remembered, so the header left behind by one write is never mistaken for a caller's key by the
     * next write (another endpoint, a loop, a split) in the same exchange.
     */
    private String requestIdFor(Exchange exchange) {
        Message msg = exchange.getMessage();
        Set<String> generated = generatedIds(exchange);
        String header = msg.getHeader(QboConstants.REQUEST_ID, String.class);
        if (header != null && !header.isBlank() && !generated.contains(header)) {
            return header;
        }
        String pending = exchange.getProperty(pendingKey(), String.class);
        String prefix = exchange.getExchangeId() + "|";
        String id = pending != null && pending.startsWith(prefix) ? pending.substring(prefix.length()) : null;
        if (id == null) {
            id = UUID.randomUUID().toString();
            exchange.setProperty(pendingKey(), prefix + id);
            Set<String> more = new HashSet<>(generated);
            more.add(id);
            // A new immutable set each time: exchange copies share property values by reference.
            exchange.setProperty(GENERATED_REQUEST_IDS, Set.copyOf(more));
        }
        msg.setHeader(QboConstants.REQUEST_ID, id);
        return id;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> generatedIds(Exchange exchange) {
        Object v = exchange.getProperty(GENERATED_REQUEST_IDS);
        return v instanceof Set<?> set ? (Set<String>) set : Set.of();
    }

    private String pendingKey() {
        return PENDING_REQUEST_ID_PREFIX + endpoint.getEndpointUri();
    }

    private static String idFrom(Message msg, Object body) {
        String id = msg.getHeader(QboConstants.ENTITY_ID, String.class);
        if (id != null && !id.isBlank()) {
            return id;
        }
        if (body instanceof Map<?, ?> m && m.get("Id") != null) {
            return String.valueOf(m.get("Id"));
        }
        if (body instanceof JsonNode n && n.hasNonNull("Id")) {
            return n.get("Id").asText();
        }
        if (body instanceof CharSequence || body instanceof Number) {
            String s = body.toString().strip();
            return s.isEmpty() ? null : s;
        }
        return null;
    }

    private static boolean isJsonObject(Object body) {
        return body instanceof Map || (body instanceof JsonNode n && n.isObject())
                || (body instanceof String s && s.strip().startsWith("{"));
    }

    private String statementFrom(Message msg, Object body) {
        String q = msg.getHeader(QboConstants.QUERY, String.class);
        if (q != null && !q.isBlank()) {
            return q;
        }
        if (body instanceof String s && !s.isBlank()) {
            return s;
        }
        if (endpoint.getEntity() != null) {
            return "select * from " + endpoint.getEntity();
        }
        throw new IllegalArgumentException("qbo:query needs a statement in header QboQuery or the body");
    }

    private List<String> entitiesFrom(QboConfiguration cfg) {
        if (cfg.getEntities() != null && !cfg.getEntities().isBlank()) {
            return Arrays.stream(cfg.getEntities().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
        return endpoint.getEntity() == null ? List.of() : List.of(endpoint.getEntity());
    }

    private static OffsetDateTime changedSince(Message msg) {
        Object v = msg.getHeader(QboConstants.CHANGED_SINCE);
        if (v == null) {
            throw new IllegalArgumentException("qbo:cdc needs header QboChangedSince");
        }
        if (v instanceof OffsetDateTime o) {
            return o;
        } else if (v instanceof ZonedDateTime z) {
            return z.toOffsetDateTime();
        } else if (v instanceof Instant i) {
            return i.atOffset(ZoneOffset.UTC);
        } else if (v instanceof Date d) {
            return d.toInstant().atOffset(ZoneOffset.UTC);
        }
        try {
            return OffsetDateTime.parse(v.toString().strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("QboChangedSince must be an ISO date-time with offset, was " + v, e);
        }
    }

    private static void setOrRemove(Message msg, String header, Object value) {
        if (value == null) {
            msg.removeHeader(header);
        } else {
            msg.setHeader(header, value instanceof String ? value : String.valueOf(value));
        }
    }
}
