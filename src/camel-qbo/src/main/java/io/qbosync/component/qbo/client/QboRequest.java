package io.qbosync.component.qbo.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.qbosync.component.qbo.QboOperation;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;

/**
 * One logical QBO call for {@link QboClient#execute(QboRequest)}. Build it with {@link #builder}.
 * Unset overrides (base URL, minor version, timeout, token provider) fall back to the client's settings.
 */
public final class QboRequest {

    private final QboOperation operation;
    private final String realmId;
    private final String entity;
    private final JsonNode body;
    private final String entityId;
    private final String syncToken;
    private final String requestId;
    private final String statement;
    private final List<String> entities;
    private final OffsetDateTime changedSince;
    private final boolean sparse;
    private final boolean allowDuplicateDocNumber;
    private final int maxResults;
    private final boolean fetchAll;
    private final String baseUrl;
    private final Integer minorVersion;
    private final Duration requestTimeout;
    private final QboTokenProvider tokenProvider;
    private final Duration maxPermitWait;

    private QboRequest(Builder b) {
        this.operation = Objects.requireNonNull(b.operation, "operation");
        this.realmId = requireText(b.realmId, "realmId");
        this.entity = b.entity;
        this.body = b.body;
        this.entityId = b.entityId;
        this.syncToken = b.syncToken;
        this.requestId = b.requestId;
        this.statement = b.statement;
        this.entities = b.entities == null ? List.of() : List.copyOf(b.entities);
        this.changedSince = b.changedSince;
        this.sparse = b.sparse;
        this.allowDuplicateDocNumber = b.allowDuplicateDocNumber;
        this.maxResults = b.maxResults;
        this.fetchAll = b.fetchAll;
        this.baseUrl = b.baseUrl;
        this.minorVersion = b.minorVersion;
        this.requestTimeout = b.requestTimeout;
        this.tokenProvider = b.tokenProvider;
        this.maxPermitWait = b.maxPermitWait;
        if (operation.isEntityRequired() && (entity == null || entity.isBlank())) {
            throw new IllegalArgumentException("qbo " + operation.uriName() + " needs an entity name");
        }
        if (maxResults < 1 || maxResults > 1000) {
            throw new IllegalArgumentException("maxResults must be between 1 and 1000, was " + maxResults);
        }
        int limit = operation == QboOperation.BATCH ? 36 : 50;
        if (requestId != null && requestId.length() > limit) {
            throw new IllegalArgumentException("requestid longer than " + limit + " characters: " + requestId);
        }
    }

    private static String requireText(String s, String name) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return s;
    }

    /** Starts a request for the given operation and company. */
    public static Builder builder(QboOperation operation, String realmId) {
        return new Builder(operation, realmId);
    }

    public QboOperation operation() { return operation; }
    public String realmId() { return realmId; }
    /** Entity name as QBO spells it ({@code Customer}, {@code CreditMemo}), or null for cdc/batch. */
    public String entity() { return entity; }
    /** Unwrapped entity JSON (create/update) or batch payload. */
    public JsonNode body() { return body; }
    public String entityId() { return entityId; }
    public String syncToken() { return syncToken; }
    public String requestId() { return requestId; }
    public String statement() { return statement; }
    public List<String> entities() { return entities; }
    public OffsetDateTime changedSince() { return changedSince; }
    public boolean sparse() { return sparse; }
    public boolean allowDuplicateDocNumber() { return allowDuplicateDocNumber; }
    public int maxResults() { return maxResults; }
    public boolean fetchAll() { return fetchAll; }
    public String baseUrl() { return baseUrl; }
    public Integer minorVersion() { return minorVersion; }
    public Duration requestTimeout() { return requestTimeout; }
    public QboTokenProvider tokenProvider() { return tokenProvider; }
    /** Longest wait for the realm's rate budget before {@link io.qbosync.component.qbo.QboRealmBusyException}; null = wait. */
    public Duration maxPermitWait() { return maxPermitWait; }

    /** Fluent builder of {@link QboRequest}. */
    public static final class Builder {
        private final QboOperation operation;
        private final String realmId;
        private String entity;
        private JsonNode body;
        private String entityId;
        private String syncToken;
        private String requestId;
        private String statement;
        private List<String> entities;
        private OffsetDateTime changedSince;
        private boolean sparse = true;
        private boolean allowDuplicateDocNumber;
        private int maxResults = 1000;
        private boolean fetchAll = true;
        private String baseUrl;
        private Integer minorVersion;
        private Duration requestTimeout;
        private QboTokenProvider tokenProvider;
        private Duration maxPermitWait;

        private Builder(QboOperation operation, String realmId) {
            this.operation = operation;
            this.realmId = realmId;
        }

        public Builder entity(String v) { this.entity = v; return this; }
        public Builder body(JsonNode v) { this.body = v; return this; }
        public Builder entityId(String v) { this.entityId = v; return this; }
        public Builder syncToken(String v) { this.syncToken = v; return this; }
        public Builder requestId(String v) { this.requestId = v; return this; }
        public Builder statement(String v) { this.statement = v; return this; }
        public Builder entities(List<String> v) { this.entities = v; return this; }
        public Builder changedSince(OffsetDateTime v) { this.changedSince = v; return this; }
        public Builder sparse(boolean v) { this.sparse = v; return this; }
        public Builder allowDuplicateDocNumber(boolean v) { this.allowDuplicateDocNumber = v; return this; }
        public Builder maxResults(int v) { this.maxResults = v; return this; }
        public Builder fetchAll(boolean v) { this.fetchAll = v; return this; }
        public Builder baseUrl(String v) { this.baseUrl = v; return this; }
        public Builder minorVersion(Integer v) { this.minorVersion = v; return this; }
        public Builder requestTimeout(Duration v) { this.requestTimeout = v; return this; }
        public Builder tokenProvider(QboTokenProvider v) { this.tokenProvider = v; return this; }
        public Builder maxPermitWait(Duration v) { this.maxPermitWait = v; return this; }

        public QboRequest build() {
            return new QboRequest(this);
        }
    }
}
