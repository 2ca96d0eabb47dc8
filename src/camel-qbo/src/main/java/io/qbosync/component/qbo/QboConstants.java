package io.qbosync.component.qbo;

import org.apache.camel.spi.Metadata;

/**
 * Message header names used by the {@code qbo:} component.
 */
public final class QboConstants {

    /** Company to call; overrides the endpoint option {@code realmId}. */
    @Metadata(label = "producer", javaType = "String",
            description = "The QBO company (realmId) to call. Overrides the endpoint option realmId.")
    public static final String REALM_ID = "QboRealmId";

    /** Idempotency key sent as {@code requestid}. */
    @Metadata(label = "producer", javaType = "String",
            description = "QBO requestid (idempotency key, at most 50 characters, 36 for batch). For writes, when"
                    + " absent, the producer generates one and sets this header, so that a Camel redelivery of the"
                    + " same exchange sends the same requestid and QBO answers the original response instead of"
                    + " executing the write twice.")
    public static final String REQUEST_ID = "QboRequestId";

    /** Id of the entity to read, void or delete (or to update when the body lacks Id). */
    @Metadata(label = "producer", javaType = "String",
            description = "QBO Id of the entity for read, void and delete (and update when the body has no Id).")
    public static final String ENTITY_ID = "QboEntityId";

    /** In: SyncToken for update/void/delete when the body lacks it. Out: SyncToken of the returned entity. */
    @Metadata(javaType = "String",
            description = "In: the SyncToken for update, void and delete when the body has none."
                    + " Out: the SyncToken of the entity QBO returned.")
    public static final String SYNC_TOKEN = "QboSyncToken";

    /** Query statement for {@code qbo:query}. */
    @Metadata(label = "producer", javaType = "String",
            description = "Query statement for qbo:query (else the body, else select * from the entity).")
    public static final String QUERY = "QboQuery";

    /** Start of the CDC window. */
    @Metadata(label = "producer", javaType = "String or java.time.OffsetDateTime",
            description = "Start of the CDC window for qbo:cdc: an ISO-8601 date-time with offset, an Instant,"
                    + " OffsetDateTime or ZonedDateTime. QBO looks back at most 30 days.")
    public static final String CHANGED_SINCE = "QboChangedSince";

    /** Out: Id of the returned entity. */
    @Metadata(label = "producer", javaType = "String", description = "Out: the Id of the entity QBO returned.")
    public static final String ID = "QboId";

    /** Out: Intuit's transaction id. */
    @Metadata(label = "producer", javaType = "String",
            description = "Out: Intuit's intuit_tid of the last HTTP call (also set when a fault is thrown).")
    public static final String INTUIT_TID = "QboIntuitTid";

    /** Out: HTTP status. */
    @Metadata(label = "producer", javaType = "Integer",
            description = "Out: HTTP status of the last HTTP call (also set when a fault is thrown; 0 = no answer).")
    public static final String HTTP_STATUS = "QboHttpStatus";

    /** Out: QBO's {@code time} of the reply (use it as the next CDC watermark). */
    @Metadata(label = "producer", javaType = "String",
            description = "Out: the time field of QBO's reply; for qbo:cdc a safe next changedSince.")
    public static final String RESPONSE_TIME = "QboResponseTime";

    /** Out (cdc): true when an entity list reached QBO's 1000-object cap and the window must be narrowed. */
    @Metadata(label = "producer", javaType = "Boolean",
            description = "Out for qbo:cdc: true when an entity list reached QBO's 1000-object cap, so changes may"
                    + " be missing: narrow the window.")
    public static final String CDC_TRUNCATED = "QboCdcTruncated";

    /** In: longest wait (ms) for the realm's rate budget; beyond it the call fails with QboRealmBusyException. */
    @Metadata(label = "producer", javaType = "Long",
            description = "In: longest wait in ms for the company's rate budget; beyond it the call is not sent and"
                    + " fails with QboRealmBusyException (throttled, with the expected wait as Retry-After)."
                    + " Unset or 0: wait as long as it takes.")
    public static final String MAX_PERMIT_WAIT = "QboMaxPermitWait";

    private QboConstants() {
    }
}
