package io.qbosync.component.qbo.client;

import java.util.List;
import java.util.Map;

/**
 * Result of {@link QboClient#execute(QboRequest)}.
 *
 * @param body         unwrapped entity {@code Map} (create, read, update, void, delete), {@code List} of rows
 *                     (query), or a {@code Map} (cdc: entity → list; batch: bId → item result)
 * @param httpStatus   status of the last HTTP call
 * @param intuitTid    {@code intuit_tid} of the last HTTP call, may be null
 * @param requestId    {@code requestid} sent, may be null
 * @param responseTime QBO's {@code time} field of the last reply, may be null
 * @param httpCalls    HTTP calls made (pages, the 401 retry, throttle retries)
 * @param truncated    cdc only: an entity list hit QBO's 1000-object cap
 */
public record QboResponse(Object body, int httpStatus, String intuitTid, String requestId, String responseTime,
                          int httpCalls, boolean truncated) {

    /** The body as an entity map (for single-entity operations, cdc and batch). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> map() {
        return (Map<String, Object>) body;
    }

    /** The body as rows (for query). */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> rows() {
        return (List<Map<String, Object>>) body;
    }
}
