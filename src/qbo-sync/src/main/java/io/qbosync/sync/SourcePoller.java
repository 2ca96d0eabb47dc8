package io.qbosync.sync;

import java.util.List;

import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.qbosync.connect.ActiveRealm;
import io.qbosync.source.SourceBatch;
import io.qbosync.source.SourceClient;
import io.qbosync.store.WatermarkRepository;

/**
 * Reads the source's change feed one page at a time from the stored watermark. The watermark moves only after the
 * page's records are registered and queued ({@link #commitPage}), so a crash re-reads the page instead of losing it.
 */
@Component("sourcePoller")
public class SourcePoller {

    private static final Logger LOG = LoggerFactory.getLogger(SourcePoller.class);
    static final String WATERMARK = "source-feed";

    private final SourceClient source;
    private final WatermarkRepository watermarks;
    private final ActiveRealm realm;
    private final int pageSize;

    public SourcePoller(SourceClient source, WatermarkRepository watermarks, ActiveRealm realm,
            @Value("${sync.poll.page-size:500}") int pageSize) {
        this.source = source;
        this.watermarks = watermarks;
        this.realm = realm;
        this.pageSize = pageSize;
    }

    /** The next page of changes after the watermark; none while no QBO company is connected. */
    public SourceBatch fetchPage() {
        if (!realm.isConnected()) {
            LOG.warn("Poll skipped: no QBO company connected");
            return new SourceBatch(List.of(), "", false);
        }
        String cursor = watermarks.get(WATERMARK).orElse("");
        SourceBatch batch = source.fetchChanges(cursor, pageSize);
        LOG.info("Source page after '{}': {} records, more: {}", cursor, batch.items().size(), batch.hasMore());
        return batch;
    }

    /** Moves the watermark past a page whose records are all registered and queued. */
    public void commitPage(@Header(SyncHeaders.SOURCE_NEXT_CURSOR) String nextCursor) {
        if (nextCursor != null && !nextCursor.isEmpty()) {
            watermarks.set(WATERMARK, nextCursor);
        }
    }
}
