package io.qbosync.sync;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.qbosync.store.SyncRecord;
import io.qbosync.store.SyncRecordRepository;

/** Finds work a crash may have orphaned, and summarises the store for the status API. */
@Component("syncRecovery")
public class SyncRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(SyncRecovery.class);

    private final SyncRecordRepository records;
    private final Duration staleAfter;
    private final int batch;

    public SyncRecovery(SyncRecordRepository records, @Value("${sync.resume.stale-after-ms:900000}") long staleAfterMs,
            @Value("${sync.resume.batch:1000}") int batch) {
        this.records = records;
        this.staleAfter = Duration.ofMillis(staleAfterMs);
        this.batch = batch;
    }

    /** PENDING records not touched for the stale period, as messages to queue again. */
    public List<SyncMessage> stalePending() {
        List<SyncRecord> stale = records.findStalePending(OffsetDateTime.now(ZoneOffset.UTC).minus(staleAfter), batch);
        if (!stale.isEmpty()) {
            LOG.warn("Re-queueing {} PENDING records untouched for {} (lost messages after a crash?)", stale.size(),
                    staleAfter);
        }
        return stale.stream().map(SyncStore::message).toList();
    }

    /** {"CUSTOMER": {"SYNCED": 120, "FAILED": 2}, …} */
    public Map<String, Map<String, Long>> status() {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (SyncRecordRepository.StatusCount c : records.countByStatus()) {
            out.computeIfAbsent(c.entityType().name(), k -> new LinkedHashMap<>()).put(c.status().name(), c.count());
        }
        return out;
    }
}
