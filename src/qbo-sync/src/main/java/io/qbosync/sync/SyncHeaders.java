package io.qbosync.sync;

/**
 * Names of the message headers and exchange properties that the routes ({@code routes/*.camel.yaml}) and the beans
 * they call share. The YAML spells them out (it cannot name a Java constant); {@code RouteFilesTest} fails on a
 * {@code sync*}, {@code source*} or {@code qbo*} name in a route file that is not declared here (or, for the
 * {@code qbo:} component's own headers, in {@code QboConstants}).
 */
public final class SyncHeaders {

    // ---------------------------------------------------------------- headers: push routes

    /** Set by {@code syncStore.open}: {@code push} when the message has work to do, {@code skip} when obsolete. */
    public static final String STEP = "syncStep";

    /**
     * JMS property (and so header) of a message put back for later ({@code SyncQueues.sendLater}): the failed attempts
     * made on it so far, so that the redelivery bound counts across deferrals.
     */
    public static final String ATTEMPTS = "syncAttempts";

    /** Set by the push routes before a write: {@code CREATE}, {@code UPDATE} or {@code VOID}. */
    public static final String INTENT = "syncIntent";

    /**
     * Set by {@code syncStore.beginWrite}: true when the write's requestid was minted by an earlier attempt whose
     * outcome this run cannot know (a crash, a rolled-back transaction, an ops resync).
     */
    public static final String PRIOR_ATTEMPT = "syncPriorAttempt";

    /**
     * How an existing QBO entity was found ({@code EMAIL}, {@code NAME}, {@code RECONCILED}, …), stored as the
     * record's {@code matched_by}; absent when qbo-sync created the entity.
     */
    public static final String MATCHED_BY = "syncMatchedBy";

    /** Set by {@code customerMatcher.match}: {@code ONE} (linked) or {@code NONE} (create it). */
    public static final String MATCH = "qboMatch";

    /** Set by {@code itemResolver.forInvoice}: the QBO item id the invoice lines post to. */
    public static final String ITEM_ID = "qboItemId";

    /** Why {@code syncStore.skip} ends a record without a QBO write. */
    public static final String SKIP_REASON = "syncSkipReason";

    // ---------------------------------------------------------------- headers: qbo-errors-* route configurations

    /** The action a person should take, stored with the fault of a FAILED or HELD record. */
    public static final String ACTION = "syncAction";

    /** The fault family's policy for this record ({@code issue}, {@code suffix}, {@code prefix}, {@code recreate}). */
    public static final String POLICY = "syncPolicy";

    /** Set by a handler's first step: true once it ended the record, so that no policy step runs. */
    public static final String RESOLVED = "syncResolved";

    /** {@code sync.errors.inactive-customer.policy}: {@code issue} or {@code reactivate}. */
    public static final String INACTIVE_CUSTOMER_POLICY = "syncInactiveCustomer";

    /** {@code sync.errors.duplicate-name.suffix}: appended to a DisplayName QBO refused as a duplicate. */
    public static final String NAME_SUFFIX = "syncNameSuffix";

    /** {@code sync.errors.duplicate-docnumber.prefix}: put before a DocNumber QBO refused as a duplicate. */
    public static final String DOC_NUMBER_PREFIX = "syncDocNumberPrefix";

    /** {@code sync.errors.string-length.fields}: per field {@code truncate} or {@code fail}. */
    public static final String FIELD_POLICY = "syncFieldPolicy";

    /** {@code sync.errors.string-length.marker}: ends every shortened value. */
    public static final String TRUNCATION_MARKER = "syncTruncationMarker";

    /** {@code sync.errors.stale-synctoken.max-attempts}: re-reads and re-applies at most this often. */
    public static final String MAX_ATTEMPTS = "syncMaxAttempts";

    // ---------------------------------------------------------------- headers: source poll

    /** The source feed's cursor after the page in hand; the watermark moves to it once the page is queued. */
    public static final String SOURCE_NEXT_CURSOR = "sourceNextCursor";

    /** Whether the source feed has another page after the one in hand. */
    public static final String SOURCE_HAS_MORE = "sourceHasMore";

    // ---------------------------------------------------------------- headers: qbo-calls routes (bean qboGateway)

    /** The QBO entity a {@code direct:qbo-read/create/update/void} call is about ({@code Customer}, {@code Invoice}…). */
    public static final String CALL_ENTITY = "syncQboEntity";

    /** {@code direct:qbo-update} only: {@code false} for a full update, otherwise sparse. */
    public static final String CALL_SPARSE = "syncQboSparse";

    // ---------------------------------------------------------------- exchange properties

    /** Exchange property: the {@link SyncWork} (record and payload) a push route is working on. */
    public static final String WORK = "syncWork";

    /** Exchange property: the synced record this one needs in QBO (an invoice's customer, a payment's invoice). */
    public static final String DEPENDENCY = "syncDependency";

    /** Exchange property: the QBO entity an ambiguous create turned out to have created. */
    public static final String RECONCILED = "syncReconciled";

    /** Exchange property set by {@code transientRetry.shouldRetry}: put the message back for this many ms. */
    public static final String DEFER_MS = "syncDeferMs";

    /** Exchange property: true when the invoice in hand was voided in the source. */
    public static final String SOURCE_VOIDED = "sourceVoided";

    private SyncHeaders() {
    }
}
