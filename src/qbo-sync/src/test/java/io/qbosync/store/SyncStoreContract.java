package io.qbosync.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the sync store promises, run against each database qbo-sync supports (H2 and PostgreSQL subclasses):
 * the migrations apply, registration is idempotent, a requestid is persisted once and reused, and a dependant is
 * never stranded between "hold" and "release".
 */
abstract class SyncStoreContract {

    static final String REALM = "9130350000000001";

    SyncRecordRepository records;
    WatermarkRepository watermarks;
    SourcePartyRepository parties;
    DataSource dataSource;

    /** A fresh, empty database (or schema) for each test. */
    abstract DataSource freshDataSource();

    @BeforeEach
    void migrate() {
        DataSource ds = freshDataSource();
        dataSource = ds;
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        records = new SyncRecordRepository(jdbc, tx, new SyncIssueRepository(jdbc, tx));
        watermarks = new WatermarkRepository(jdbc);
        parties = new SourcePartyRepository(jdbc);
    }

    @Test
    void registeringTheSameVersionTwiceQueuesOnlyWhilePending() {
        var first = records.register(REALM, EntityType.INVOICE, "I-1", "v1", "{}", "CUSTOMER:contact:C-1", "default");
        assertThat(first.enqueue()).isTrue();
        records.markSynced(first.record().id(), "v1", "42", "0", "GU-1", null);

        var again = records.register(REALM, EntityType.INVOICE, "I-1", "v1", "{}", "CUSTOMER:contact:C-1", "default");
        assertThat(again.enqueue()).isFalse();
        assertThat(again.record().status()).isEqualTo(SyncStatus.SYNCED);

        var changed = records.register(REALM, EntityType.INVOICE, "I-1", "v2", "{\"x\":1}", "CUSTOMER:contact:C-1", "default");
        assertThat(changed.enqueue()).isTrue();
        assertThat(changed.record().status()).isEqualTo(SyncStatus.PENDING);
        assertThat(changed.record().qboId()).as("the QBO id survives a source change").isEqualTo("42");
    }

    @Test
    void aNewRecordComesBackAsStored() {
        var reg = records.register(REALM, EntityType.PAYMENT, "P-1", "v1", "{\"p\":1}", "INVOICE:I-1", null);
        SyncRecord stored = records.findById(reg.record().id()).orElseThrow();
        assertThat(reg.record()).usingRecursiveComparison().ignoringFields("createdAt", "updatedAt").isEqualTo(stored);
        assertThat(reg.record().createdAt().toInstant()).isEqualTo(stored.createdAt().toInstant());
        assertThat(reg.record().updatedAt().toInstant()).isEqualTo(stored.updatedAt().toInstant());
    }

    @Test
    void aDependencyAlreadyInQboIsReturnedAndAMissingOneHolds() {
        var customer = records.register(REALM, EntityType.CUSTOMER, "contact:C-1", "v1", "{}", null, null);
        var invoice = records.register(REALM, EntityType.INVOICE, "I-1", "v1", "{}", "CUSTOMER:contact:C-1", null);
        Fault waiting = Fault.of(SyncRecordRepository.WAITING_FOR_DEPENDENCY, "waiting", "none");
        assertThat(records.dependencyOrHold(invoice.record(), waiting)).isEmpty();
        assertThat(records.findById(invoice.record().id()).orElseThrow().status()).isEqualTo(SyncStatus.HELD);
        records.markSyncedAndRelease(customer.record(), "7", "0", null, null);
        SyncRecord released = records.findById(invoice.record().id()).orElseThrow();
        assertThat(released.status()).isEqualTo(SyncStatus.PENDING);
        assertThat(records.dependencyOrHold(released, waiting)).get().extracting(SyncRecord::qboId).isEqualTo("7");
        assertThat(records.findById(invoice.record().id()).orElseThrow().status()).isEqualTo(SyncStatus.PENDING);
    }

    @Test
    void requestIdIsPersistedOnceAndReusedForTheSameVersionAndIntent() {
        var reg = records.register(REALM, EntityType.CUSTOMER, "contact:C-1", "abcdef0123456789", "{}", null, null);
        String id = records.requestIdFor(reg.record(), "CREATE");
        SyncRecord reread = records.findById(reg.record().id()).orElseThrow();
        assertThat(reread.requestId()).isEqualTo(id);
        assertThat(id.length()).isLessThanOrEqualTo(50);
        assertThat(records.requestIdFor(reread, "CREATE")).isEqualTo(id);
        assertThat(records.findById(reg.record().id()).orElseThrow().attempts()).isEqualTo(2);
        assertThat(records.requestIdFor(reread, "UPDATE")).isNotEqualTo(id);
    }

    @Test
    void aRecordRegisteredAgainAfterItsRowWasLostGetsTheSameRequestId() {
        var first = records.register(REALM, EntityType.PAYMENT, "P-1575", "0a1b2c3d4e5f6789", "{}", "INVOICE:I-1", null);
        String minted = records.requestIdFor(first.record(), "CREATE");
        // What a crash used to do to the embedded store: the row, its requestid and its state are gone.
        new JdbcTemplate(dataSource).update("DELETE FROM sync_record WHERE id = ?", first.record().id());

        var again = records.register(REALM, EntityType.PAYMENT, "P-1575", "0a1b2c3d4e5f6789", "{}", "INVOICE:I-1", null);
        assertThat(again.record().id()).as("a new row").isNotEqualTo(first.record().id());
        assertThat(again.record().hasRequestFor("CREATE")).isFalse();
        assertThat(records.requestIdFor(again.record(), "CREATE"))
                .as("the requestid depends on what survives a crash, not on the row id").isEqualTo(minted);
        assertThat(RequestIds.of(REALM, EntityType.PAYMENT, "P-1575", "0a1b2c3d4e5f6789", "CREATE", null))
                .isEqualTo(minted);
        assertThat(RequestIds.of("9130350000000002", EntityType.PAYMENT, "P-1575", "0a1b2c3d4e5f6789", "CREATE", null))
                .as("another company").isNotEqualTo(minted);
    }

    @Test
    void anUpdateBackToAnEarlierVersionGetsANewRequestIdBecauseItsSyncTokenMoved() {
        var reg = records.register(REALM, EntityType.CUSTOMER, "contact:C-9", "vA", "{}", null, null);
        records.markSynced(reg.record().id(), "vA", "7", "0", null, null);
        records.register(REALM, EntityType.CUSTOMER, "contact:C-9", "vB", "{}", null, null);
        SyncRecord atB = records.findById(reg.record().id()).orElseThrow();
        String updateToB = records.requestIdFor(atB, "UPDATE");
        records.markSynced(atB.id(), "vB", "7", "1", null, null);
        records.register(REALM, EntityType.CUSTOMER, "contact:C-9", "vA", "{}", null, null);
        SyncRecord backAtA = records.findById(reg.record().id()).orElseThrow();
        String updateBackToA = records.requestIdFor(backAtA, "UPDATE");
        assertThat(updateBackToA).isNotEqualTo(updateToB)
                .isNotEqualTo(RequestIds.of(REALM, EntityType.CUSTOMER, "contact:C-9", "vA", "UPDATE", "0"));
    }

    @Test
    void markingSyncedAfterASourceChangeKeepsTheNewerVersionPending() {
        var reg = records.register(REALM, EntityType.CUSTOMER, "contact:C-2", "v1", "{}", null, null);
        records.register(REALM, EntityType.CUSTOMER, "contact:C-2", "v2", "{}", null, null);
        records.markSynced(reg.record().id(), "v1", "7", "0", null, null);
        SyncRecord r = records.findById(reg.record().id()).orElseThrow();
        assertThat(r.status()).isEqualTo(SyncStatus.PENDING);
        assertThat(r.qboId()).isEqualTo("7");
    }

    @Test
    void aHeldDependantIsReleasedWhenItsDependencySyncs() {
        var customer = records.register(REALM, EntityType.CUSTOMER, "contact:C-3", "v1", "{}", null, null).record();
        var invoice = records.register(REALM, EntityType.INVOICE, "I-3", "v1", "{}", customer.key(), null).record();
        assertThat(records.dependencyOrHold(invoice, Fault.of(SyncRecordRepository.WAITING_FOR_DEPENDENCY, "w", "a")))
                .isEmpty();
        assertThat(records.findById(invoice.id()).orElseThrow().status()).isEqualTo(SyncStatus.HELD);

        List<SyncRecord> released = records.markSyncedAndRelease(customer, "99", "0", null, "EMAIL");
        assertThat(released).extracting(SyncRecord::sourceId).containsExactly("I-3");
        assertThat(released.get(0).status()).isEqualTo(SyncStatus.PENDING);
        assertThat(records.dependencyOrHold(released.get(0), Fault.of("x", "y", "z")))
                .map(SyncRecord::qboId).contains("99");
    }

    /** The race the row lock closes: hold and release interleaving must never strand a dependant as HELD. */
    @Test
    void concurrentHoldAndReleaseNeverStrandADependant() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 40; round++) {
                int i = round;
                var customer = records.register(REALM, EntityType.CUSTOMER, "contact:R-" + i, "v1", "{}", null, null).record();
                var invoice = records.register(REALM, EntityType.INVOICE, "IR-" + i, "v1", "{}", customer.key(), null).record();
                CountDownLatch start = new CountDownLatch(1);
                Future<Optional<SyncRecord>> hold = pool.submit(() -> {
                    start.await();
                    return records.dependencyOrHold(invoice, Fault.of(SyncRecordRepository.WAITING_FOR_DEPENDENCY, "w", "a"));
                });
                Future<List<SyncRecord>> release = pool.submit(() -> {
                    start.await();
                    return records.markSyncedAndRelease(customer, "C" + i, "0", null, null);
                });
                start.countDown();
                boolean proceeded = hold.get(10, TimeUnit.SECONDS).isPresent();
                boolean released = !release.get(10, TimeUnit.SECONDS).isEmpty();
                SyncStatus status = records.findById(invoice.id()).orElseThrow().status();
                // Either the invoice saw its customer synced, or it was held and then released: never both, never neither.
                assertThat(proceeded ^ released).as("round %s: proceeded=%s released=%s", i, proceeded, released).isTrue();
                assertThat(status).isEqualTo(SyncStatus.PENDING);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void watermarksAndPartiesUpsert() {
        assertThat(watermarks.get("feed")).isEmpty();
        watermarks.set("feed", "a");
        watermarks.set("feed", "b");
        assertThat(watermarks.get("feed")).contains("b");
        parties.save("contact:C-1", "{\"a\":1}");
        parties.save("contact:C-1", "{\"a\":2}");
        assertThat(parties.find("contact:C-1")).contains("{\"a\":2}");
    }

    @Test
    void statusCountsGroupByTypeAndStatus() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(records.register(REALM, EntityType.PAYMENT, "P-" + i, "v", "{}", null, null).record().sourceId());
        }
        records.markFailed(records.find(REALM, EntityType.PAYMENT, ids.get(0)).orElseThrow().id(),
                new Fault("6000", "A business validation error", "detail", "TotalAmt", "tid-1", "fix it"));
        assertThat(records.countByStatus()).contains(
                new SyncRecordRepository.StatusCount(EntityType.PAYMENT, SyncStatus.FAILED, 1),
                new SyncRecordRepository.StatusCount(EntityType.PAYMENT, SyncStatus.PENDING, 2));
        SyncRecord failed = records.find(REALM, EntityType.PAYMENT, ids.get(0)).orElseThrow();
        assertThat(failed.faultElement()).isEqualTo("TotalAmt");
        assertThat(failed.intuitTid()).isEqualTo("tid-1");
    }
}
