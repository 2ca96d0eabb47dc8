package io.qbosync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What {@code sync_issue} promises, on each supported database (H2 and PostgreSQL subclasses): one open issue per
 * record and type that counts repeats (also when consumers race), WAITING_FOR_DEPENDENCY is no issue, and the way
 * an issue ends (synced, skipped, superseded, or the ops action that got the record past it, with the person).
 */
abstract class SyncIssueContract {

    static final String REALM = "9130350000000001";
    static final Fault DUPLICATE_NAME = new Fault("6240", "Duplicate Name Exists Error",
            "The name supplied already exists. : Id=58", "DisplayName", "tid-1", "Match or rename, then resync.");

    JdbcTemplate jdbc;
    SyncRecordRepository records;
    SyncIssueRepository issues;
    RecordDecisions decisions;

    /** A fresh, empty database (or schema) for each test. */
    abstract DataSource freshDataSource();

    @BeforeEach
    void migrate() {
        DataSource ds = freshDataSource();
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(ds);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        issues = new SyncIssueRepository(jdbc, tx);
        records = new SyncRecordRepository(jdbc, tx, issues);
        decisions = new RecordDecisions(jdbc, tx, issues);
    }

    @Test
    void theSameFaultAgainCountsOnTheOpenIssueInsteadOfAddingOne() {
        SyncRecord customer = customer("C-1");
        records.markFailed(customer.id(), DUPLICATE_NAME);
        SyncIssue first = onlyIssue(customer);
        assertThat(first.status()).isEqualTo(SyncIssue.Status.OPEN);
        assertThat(first.issueType()).isEqualTo(IssueTypes.DUPLICATE_NAME);
        assertThat(first.occurrences()).isEqualTo(1);
        assertThat(first.recordKey()).isEqualTo("CUSTOMER:contact:C-1");
        assertThat(first.actions()).containsExactly("match", "create", "resync", "skip");

        records.markFailed(customer.id(), new Fault("6240", "Duplicate Name Exists Error",
                "The name supplied already exists. : Id=61", "DisplayName", "tid-2", "Match or rename, then resync."));
        SyncIssue again = onlyIssue(customer);
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.occurrences()).isEqualTo(2);
        assertThat(again.firstSeen()).isEqualTo(first.firstSeen());
        assertThat(again.lastSeen()).isAfterOrEqualTo(first.lastSeen());
        assertThat(again.detail()).as("the latest occurrence's detail").endsWith("Id=61");
        assertThat(again.intuitTid()).isEqualTo("tid-2");
        assertThat(again.qboCode()).isEqualTo("6240");
        assertThat(again.qboMessage()).isEqualTo("Duplicate Name Exists Error");
        assertThat(again.element()).isEqualTo("DisplayName");
        assertThat(again.guidance()).isEqualTo("Match or rename, then resync.");
    }

    @Test
    void aHeldRecordWithAFaultIsAnIssueButWaitingForADependencyIsNot() {
        SyncRecord customer = customer("C-2");
        SyncRecord invoice = records.register(REALM, EntityType.INVOICE, "I-2", "v1", "{}", customer.key(), null).record();
        assertThat(records.dependencyOrHold(invoice, Fault.of(SyncRecordRepository.WAITING_FOR_DEPENDENCY, "w", "a")))
                .isEmpty();
        assertThat(issuesOf(invoice)).isEmpty();

        records.markHeld(customer.id(), Fault.of("DUPLICATE_MATCH", "2 QBO customers fit", "Pick one."));
        SyncIssue match = onlyIssue(customer);
        assertThat(match.issueType()).isEqualTo(IssueTypes.DUPLICATE_MATCH);
        assertThat(match.actions()).containsExactly("match", "create", "skip");
        assertThat(match.blockedRecords()).as("the held invoice waits for this customer").isEqualTo(1);

        // The customer's issue ends when it is in QBO; the invoice is released by the same transaction.
        List<SyncRecord> released = records.markSyncedAndRelease(customer, "77", "0", null, "MANUAL");
        assertThat(released).extracting(SyncRecord::sourceId).containsExactly("I-2");
        SyncIssue resolved = issues.findById(match.id()).orElseThrow();
        assertThat(resolved.status()).isEqualTo(SyncIssue.Status.RESOLVED);
        assertThat(resolved.blockedRecords()).isZero();
    }

    @Test
    void syncingResolvesTheOpenIssueAndALaterFaultOpensANewOne() {
        SyncRecord customer = customer("C-3");
        records.markFailed(customer.id(), DUPLICATE_NAME);
        long first = onlyIssue(customer).id();

        records.markSynced(customer.id(), "v1", "58", "0", null, null);
        SyncIssue resolved = issues.findById(first).orElseThrow();
        assertThat(resolved.status()).isEqualTo(SyncIssue.Status.RESOLVED);
        assertThat(resolved.resolution()).isEqualTo(SyncIssueRepository.SYNCED);
        assertThat(resolved.resolvedBy()).isEqualTo(SyncIssueRepository.SYSTEM);
        assertThat(resolved.resolvedAt()).isNotNull();

        records.markFailed(customer.id(), DUPLICATE_NAME);
        records.markSynced(customer.id(), "v1", "58", "1", null, null);
        records.markFailed(customer.id(), DUPLICATE_NAME);
        // Resolved issues of the same record and type pile up freely; only one may be open.
        assertThat(issuesOf(customer)).extracting(SyncIssue::status).containsExactly(SyncIssue.Status.OPEN,
                SyncIssue.Status.RESOLVED, SyncIssue.Status.RESOLVED);
        assertThat(issuesOf(customer)).allMatch(i -> i.occurrences() == 1);
    }

    @Test
    void aResyncIsNotedAndNamedAsTheResolutionOnlyWhenTheRecordGetsPastTheFault() {
        SyncRecord invoice = records.register(REALM, EntityType.INVOICE, "I-4", "v1", "{}", null, null).record();
        Fault duplicateNumber = new Fault("6140", "Duplicate Document Number Error", "DocNumber=1001", null, null,
                "Renumber, then resync.");
        records.markFailed(invoice.id(), duplicateNumber);

        decisions.resync(invoice.id(), null, "olivia");
        SyncIssue noted = onlyIssue(invoice);
        assertThat(noted.status()).as("a resync does not end the issue by itself").isEqualTo(SyncIssue.Status.OPEN);
        assertThat(noted.lastAction()).isEqualTo(SyncIssueRepository.RESYNC);
        assertThat(noted.lastActionBy()).isEqualTo("olivia");

        records.markFailed(invoice.id(), duplicateNumber);
        assertThat(onlyIssue(invoice).occurrences()).as("the resync met the same fault").isEqualTo(2);

        decisions.resync(invoice.id(), null, "omar");
        records.markSynced(invoice.id(), "v1", "130", "0", "1001", null);
        SyncIssue resolved = onlyIssue(invoice);
        assertThat(resolved.status()).isEqualTo(SyncIssue.Status.RESOLVED);
        assertThat(resolved.resolution()).isEqualTo(SyncIssueRepository.RESYNC);
        assertThat(resolved.resolvedBy()).isEqualTo("omar");
    }

    @Test
    void aFaultMetAgainAfterAnOpsActionIsNotCreditedToItWhenTheRecordLaterSyncs() {
        SyncRecord customer = customer("C-5");
        records.markFailed(customer.id(), DUPLICATE_NAME);
        decisions.clearQboId(customer.id(), "olivia");
        records.markFailed(customer.id(), DUPLICATE_NAME);
        records.markSynced(customer.id(), "v1", "58", "0", null, null);
        SyncIssue resolved = onlyIssue(customer);
        assertThat(resolved.lastAction()).isEqualTo(SyncIssueRepository.CLEAR_QBO_ID);
        assertThat(resolved.resolution()).isEqualTo(SyncIssueRepository.SYNCED);
        assertThat(resolved.resolvedBy()).isEqualTo(SyncIssueRepository.SYSTEM);
    }

    @Test
    void skipAndHandMatchResolveWithThePerson() {
        SyncRecord skipped = customer("C-6");
        records.markFailed(skipped.id(), DUPLICATE_NAME);
        decisions.skip(skipped.id(), "olivia");
        SyncIssue bySkip = onlyIssue(skipped);
        assertThat(bySkip.status()).isEqualTo(SyncIssue.Status.RESOLVED);
        assertThat(bySkip.resolution()).isEqualTo(SyncIssueRepository.SKIPPED);
        assertThat(bySkip.resolvedBy()).isEqualTo("olivia");

        SyncRecord matched = customer("C-7");
        records.markHeld(matched.id(), Fault.of("DUPLICATE_MATCH", "2 QBO customers fit", "Pick one."));
        decisions.decide(matched.id(), RecordDecisions.MATCHED, "omar");
        records.markSyncedAndRelease(records.findById(matched.id()).orElseThrow(), "58", "0", null, "MANUAL");
        SyncIssue byMatch = onlyIssue(matched);
        assertThat(byMatch.resolution()).isEqualTo(SyncIssueRepository.MATCH);
        assertThat(byMatch.resolvedBy()).isEqualTo("omar");

        // A skip by the pipeline (e.g. voided before its first sync) is the system's.
        SyncRecord voided = records.register(REALM, EntityType.INVOICE, "I-8", "v1", "{}", null, null).record();
        records.markFailed(voided.id(), Fault.of("ITEM_NOT_FOUND", "No active QBO item with SKU 'X'", "Add it."));
        records.markSkipped(voided.id(), Fault.of("SKIPPED", "voided", "Nothing to do."));
        assertThat(onlyIssue(voided).resolution()).isEqualTo(SyncIssueRepository.SKIPPED);
        assertThat(onlyIssue(voided).resolvedBy()).isEqualTo(SyncIssueRepository.SYSTEM);
        assertThat(onlyIssue(voided).issueType()).as("qbo-sync's own code is its own type").isEqualTo("ITEM_NOT_FOUND");
    }

    @Test
    void aDifferentFaultSupersedesTheOpenIssue() {
        SyncRecord customer = customer("C-9");
        records.markFailed(customer.id(), DUPLICATE_NAME);
        records.markFailed(customer.id(), new Fault("2050", "String length is either shorter or longer than supported",
                "Max 100", "DisplayName", null, "Shorten it."));
        List<SyncIssue> all = issuesOf(customer);
        assertThat(all).hasSize(2);
        assertThat(all.get(0).issueType()).isEqualTo(IssueTypes.STRING_TOO_LONG);
        assertThat(all.get(0).status()).isEqualTo(SyncIssue.Status.OPEN);
        assertThat(all.get(1).issueType()).isEqualTo(IssueTypes.DUPLICATE_NAME);
        assertThat(all.get(1).resolution()).isEqualTo(SyncIssueRepository.SUPERSEDED);
    }

    @Test
    void theDatabaseRefusesASecondOpenIssueForOneRecordAndType() {
        SyncRecord customer = customer("C-10");
        records.markFailed(customer.id(), DUPLICATE_NAME);
        String insert = "INSERT INTO sync_issue (realm_id, record_id, entity_type, source_id, issue_type, status,"
                + " open_key, occurrences, first_seen, last_seen, actions) VALUES (?,?,'CUSTOMER','contact:C-10',?,"
                + " 'OPEN', 0, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'skip')";
        assertThatThrownBy(() -> jdbc.update(insert, REALM, customer.id(), IssueTypes.DUPLICATE_NAME))
                .isInstanceOf(DuplicateKeyException.class);
        // Another type on the same record is a different key.
        jdbc.update(insert, REALM, customer.id(), IssueTypes.STRING_TOO_LONG);
        assertThat(issuesOf(customer)).hasSize(2);
    }

    /** Several consumers meeting the same fault on one record at once: one row, every occurrence counted. */
    @Test
    void concurrentFaultsOnOneRecordAddUpOnOneOpenIssue() throws Exception {
        int threads = 4;
        int each = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            // The first occurrence is the race that matters (update-or-insert): many fresh records, all threads at once.
            for (int round = 0; round < 15; round++) {
                SyncRecord customer = customer("R-" + round);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    done.add(pool.submit(() -> {
                        start.await();
                        records.markFailed(customer.id(), DUPLICATE_NAME);
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : done) {
                    f.get(30, TimeUnit.SECONDS);
                }
                assertThat(onlyIssue(customer).occurrences()).as("round %s", round).isEqualTo(threads);
            }
            // And a long run on one record.
            SyncRecord busy = customer("R-busy");
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        records.markFailed(busy.id(), DUPLICATE_NAME);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            SyncIssue issue = onlyIssue(busy);
            assertThat(issue.occurrences()).isEqualTo(threads * each);
            assertThat(issue.status()).isEqualTo(SyncIssue.Status.OPEN);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void listFiltersNewestFirstAndSummaryCountsOpenIssuesPerType() {
        SyncRecord a = customer("C-11");
        SyncRecord b = customer("C-12");
        SyncRecord c = records.register(REALM, EntityType.INVOICE, "I-13", "v1", "{}", null, null).record();
        SyncRecord other = records.register("4620816365000000002", EntityType.INVOICE, "I-14", "v1", "{}", null, null)
                .record();
        records.markFailed(a.id(), DUPLICATE_NAME);
        records.markFailed(b.id(), DUPLICATE_NAME);
        records.markFailed(c.id(), new Fault("6140", "Duplicate Document Number Error", null, null, null, "x"));
        records.markFailed(other.id(), new Fault("6140", "Duplicate Document Number Error", null, null, null, "x"));
        records.markSynced(a.id(), "v1", "1", "0", null, null);

        List<SyncIssue> open = issues.find(new SyncIssueRepository.Query(SyncIssue.Status.OPEN, null, null, null, 100));
        assertThat(open).extracting(SyncIssue::sourceId).containsExactly("I-14", "I-13", "contact:C-12");
        assertThat(issues.find(new SyncIssueRepository.Query(null, IssueTypes.DUPLICATE_NAME, REALM, null, 100)))
                .extracting(SyncIssue::sourceId).containsExactly("contact:C-12", "contact:C-11");
        assertThat(issues.find(new SyncIssueRepository.Query(null, null, null, c.id(), 100))).hasSize(1);
        assertThat(issues.find(new SyncIssueRepository.Query(null, null, null, null, 2))).hasSize(2);

        assertThat(issues.openCountsByType(null)).containsExactly(
                java.util.Map.entry(IssueTypes.DUPLICATE_DOC_NUMBER, 2L), java.util.Map.entry(IssueTypes.DUPLICATE_NAME, 1L));
        assertThat(issues.openCountsByType(REALM)).containsEntry(IssueTypes.DUPLICATE_DOC_NUMBER, 1L);
    }

    private SyncRecord customer(String id) {
        return records.register(REALM, EntityType.CUSTOMER, "contact:" + id, "v1", "{}", null, null).record();
    }

    private List<SyncIssue> issuesOf(SyncRecord r) {
        return issues.find(new SyncIssueRepository.Query(null, null, null, r.id(), 100));
    }

    private SyncIssue onlyIssue(SyncRecord r) {
        List<SyncIssue> all = issuesOf(r);
        assertThat(all).as("issues of %s", r.key()).hasSize(1);
        return all.get(0);
    }
}
