package io.qbosync.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.qbosync.store.EntityType;
import io.qbosync.store.Fault;
import io.qbosync.store.SyncIssueRepository;
import io.qbosync.store.SyncRecord;
import io.qbosync.store.SyncRecordRepository;
import io.qbosync.store.SyncStatus;
import io.qbosync.sync.SyncStore;

/**
 * The sync-store steps the fault handlers added, on a real (in-memory) H2 with the real migrations: clearing a
 * stale QBO link, a handler-minted requestid that the next write reuses, notes kept on a synced record, and finding
 * the records held for a lost connection.
 */
class FaultStoreStepsTest {

    private static final String REALM = "9130350000000001";
    private SyncRecordRepository records;

    @BeforeEach
    void freshStore() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:faults-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        records = new SyncRecordRepository(jdbc, tx, new SyncIssueRepository(jdbc, tx));
    }

    @Test
    void aClearedLinkMakesTheNextPushACreateWithTheRequestIdTheHandlerMinted() {
        SyncRecord r = records.register(REALM, EntityType.INVOICE, "I-1", "0123456789abcdef", "{}", null, null).record();
        String first = records.requestIdFor(r, "CREATE");
        records.markSynced(r.id(), r.sourceVersion(), "130", "3", "GU-1", "EMAIL");

        records.clearQboLink(r.id());
        records.assignRequestId(r.id(), RepairWriter.derivedRequestId(first, "rc1"), "CREATE", r.sourceVersion());
        SyncRecord cleared = records.findById(r.id()).orElseThrow();
        assertThat(cleared.qboId()).isNull();
        assertThat(cleared.qboSyncToken()).isNull();
        assertThat(cleared.qboDocNumber()).isNull();
        assertThat(cleared.matchedBy()).isNull();
        assertThat(records.requestIdFor(cleared, "CREATE")).isEqualTo(first + "-rc1").isNotEqualTo(first);
    }

    @Test
    void aNoteIsKeptOnTheSyncedRecordAndDependantsAreReleasedInTheSameStep() {
        SyncRecord customer = records.register(REALM, EntityType.CUSTOMER, "contact:C-1", "v1", "{}", null, null)
                .record();
        SyncRecord invoice = records.register(REALM, EntityType.INVOICE, "I-1", "v1", "{}", customer.key(), null)
                .record();
        records.markHeld(invoice.id(), SyncStore.waitingFor(customer.key()));

        List<SyncRecord> released = records.markSyncedAndRelease(customer, "58", "0", null, null,
                Fault.of("NAME_SUFFIXED", "Created in QBO as 'Ada (Customer)'", "None."));
        SyncRecord synced = records.findById(customer.id()).orElseThrow();
        assertThat(synced.status()).isEqualTo(SyncStatus.SYNCED);
        assertThat(synced.faultCode()).isEqualTo("NAME_SUFFIXED");
        assertThat(synced.faultMessage()).contains("Ada (Customer)");
        assertThat(released).extracting(SyncRecord::sourceId).containsExactly("I-1");
        assertThat(records.findById(invoice.id()).orElseThrow().status()).isEqualTo(SyncStatus.PENDING);

        // The next sync of the record clears the note like any fault.
        records.markSynced(customer.id(), "v1", "58", "1", null, null);
        assertThat(records.findById(customer.id()).orElseThrow().faultCode()).isNull();
    }

    @Test
    void recordsHeldForALostConnectionAreFoundByTheirCode() {
        SyncRecord a = records.register(REALM, EntityType.CUSTOMER, "contact:C-1", "v1", "{}", null, null).record();
        SyncRecord b = records.register(REALM, EntityType.CUSTOMER, "contact:C-2", "v1", "{}", null, null).record();
        SyncRecord c = records.register(REALM, EntityType.INVOICE, "I-1", "v1", "{}", a.key(), null).record();
        Fault lost = Fault.of(QboConnectionGuard.CONNECTION_LOST, "invalid_grant", "Reconnect");
        records.markHeld(a.id(), lost);
        records.markHeld(b.id(), lost);
        records.markHeld(c.id(), SyncStore.waitingFor(a.key()));

        assertThat(records.findByStatusAndFaultCode(REALM, SyncStatus.HELD, QboConnectionGuard.CONNECTION_LOST, 10))
                .extracting(SyncRecord::sourceId).containsExactly("contact:C-1", "contact:C-2");
        assertThat(records.findByStatusAndFaultCode("other-realm", SyncStatus.HELD,
                QboConnectionGuard.CONNECTION_LOST, 10)).isEmpty();
    }
}
