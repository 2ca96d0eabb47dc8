package io.qbosync.e2e;

import java.time.Duration;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.InflightRepository;

import io.qbosync.store.EntityType;
import io.qbosync.store.SyncRecordRepository;
import io.qbosync.store.SyncRecordRepository.StatusCount;
import io.qbosync.store.SyncStatus;

/** Waits, with a deadline, for the pipeline to reach a state; fails with what it saw last. */
final class SyncAwait {

    private SyncAwait() {
    }

    /** Every invoice and payment of the source is registered and no record is still PENDING. */
    static void settled(SyncRecordRepository records, int invoicesAndPayments, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<StatusCount> last = List.of();
        while (System.nanoTime() < deadline) {
            last = records.countByStatus();
            long registered = last.stream().filter(c -> c.entityType() != EntityType.CUSTOMER).mapToLong(StatusCount::count).sum();
            long pending = last.stream().filter(c -> c.status() == SyncStatus.PENDING).mapToLong(StatusCount::count).sum();
            if (registered >= invoicesAndPayments && pending == 0) {
                return;
            }
            pause();
        }
        throw new AssertionError("sync did not settle within " + timeout + "; last counts " + last);
    }

    /** No exchange in flight for a few consecutive checks. */
    static void queuesIdle(CamelContext camel, Duration timeout) {
        InflightRepository inflight = camel.getInflightRepository();
        long deadline = System.nanoTime() + timeout.toNanos();
        int quiet = 0;
        while (System.nanoTime() < deadline && quiet < 10) {
            quiet = inflight.size() == 0 ? quiet + 1 : 0;
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
