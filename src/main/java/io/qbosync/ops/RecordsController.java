package io.qbosync.ops;

import java.security.Principal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.qbosync.component.qbo.QboFaultException;
import io.qbosync.store.EntityType;
import io.qbosync.store.RecordDecisions;
import io.qbosync.store.SyncRecord;
import io.qbosync.store.SyncRecordRepository;
import io.qbosync.store.SyncStatus;

/**
 * The ops API on the app port, behind authentication (GET: VIEWER; actions: OPERATOR).
 * <pre>
 * GET  /api/records?status=FAILED&amp;type=INVOICE&amp;limit=100   records with QBO's reason, the action text and what can be done
 * GET  /api/records/{id}
 * POST /api/records/{id}/resync | skip | clear-qbo-id | create
 * POST /api/records/{id}/match            {"qboId": "58"}
 * GET  /api/dead-letters                  counts per queue
 * GET  /api/dead-letters/{queue}          the dead letters of qbo.customers, qbo.invoices or qbo.payments
 * POST /api/dead-letters/{queue}/{messageId}/replay   optional body: the edited message text
 * </pre>
 */
@RestController
@RequestMapping("/api")
public class RecordsController {

    private final SyncRecordRepository records;
    private final RecordDecisions decisions;
    private final RecordActions actions;
    private final DeadLetters deadLetters;

    public RecordsController(SyncRecordRepository records, RecordDecisions decisions, RecordActions actions,
            DeadLetters deadLetters) {
        this.records = records;
        this.decisions = decisions;
        this.actions = actions;
        this.deadLetters = deadLetters;
    }

    /** A record as ops see it. */
    public record RecordView(long id, String realmId, EntityType entityType, String sourceId, SyncStatus status,
            String qboId, String qboDocNumber, String matchedBy, String mappingRule, String dependsOn, String faultCode,
            String faultMessage, String faultDetail, String faultElement, String intuitTid, String action,
            int attempts, String requestId, OffsetDateTime updatedAt, List<String> actions) {

        static RecordView of(SyncRecord r) {
            return new RecordView(r.id(), r.realmId(), r.entityType(), r.sourceId(), r.status(), r.qboId(),
                    r.qboDocNumber(), r.matchedBy(), r.mappingRule(), r.dependsOn(), r.faultCode(), r.faultMessage(),
                    r.faultDetail(), r.faultElement(), r.intuitTid(), r.action(), r.attempts(), r.requestId(),
                    r.updatedAt(), RecordActions.actionsFor(r));
        }
    }

    @GetMapping("/records")
    public List<RecordView> list(@RequestParam(required = false) SyncStatus status,
            @RequestParam(required = false) EntityType type, @RequestParam(defaultValue = "100") int limit) {
        return decisions.ids(status, type, limit).stream()
                .map(id -> records.findById(id).map(RecordView::of).orElse(null))
                .filter(v -> v != null).toList();
    }

    @GetMapping("/records/{id}")
    public RecordView get(@PathVariable long id) {
        return records.findById(id).map(RecordView::of).orElseThrow(() -> new RecordActions.RecordNotFoundException(id));
    }

    @PostMapping("/records/{id}/{action}")
    public RecordView act(@PathVariable long id, @PathVariable String action,
            @RequestBody(required = false) Map<String, String> body, Principal who) {
        String by = who.getName();
        SyncRecord r = switch (action) {
            case RecordActions.RESYNC -> actions.resync(id, by);
            case RecordActions.SKIP -> actions.skip(id, by);
            case RecordActions.CLEAR_QBO_ID -> actions.clearQboId(id, by);
            case RecordActions.CREATE -> actions.create(id, by);
            case RecordActions.MATCH -> actions.match(id, body == null ? null : body.get("qboId"), by);
            default -> throw new IllegalArgumentException("Unknown action '" + action + "'; one of resync, skip,"
                    + " clear-qbo-id, match, create");
        };
        return RecordView.of(r);
    }

    @GetMapping("/dead-letters")
    public Map<String, Integer> deadLetterCounts() {
        return deadLetters.counts();
    }

    @GetMapping("/dead-letters/{queue}")
    public List<DeadLetters.DeadLetter> deadLetters(@PathVariable String queue) {
        return deadLetters.list(queue);
    }

    @PostMapping("/dead-letters/{queue}/{messageId}/replay")
    public ResponseEntity<Map<String, Object>> replay(@PathVariable String queue, @PathVariable String messageId,
            @RequestBody(required = false) String editedBody, Principal who) {
        boolean moved = deadLetters.replay(queue, messageId, editedBody, who.getName());
        return ResponseEntity.status(moved ? HttpStatus.OK : HttpStatus.NOT_FOUND)
                .body(Map.of("replayed", moved, "queue", queue, "messageId", messageId));
    }

    @ExceptionHandler(RecordActions.RecordNotFoundException.class)
    ResponseEntity<Map<String, String>> notFound(RuntimeException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", e.getMessage()));
    }

    @ExceptionHandler({IllegalArgumentException.class, IllegalStateException.class})
    ResponseEntity<Map<String, String>> refused(RuntimeException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", e.getMessage()));
    }

    @ExceptionHandler(QboFaultException.class)
    ResponseEntity<Map<String, String>> qboRefused(QboFaultException e) {
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(Map.of("error", "QBO " + e.code() + " "
                + e.faultMessage(), "detail", String.valueOf(e.detail())));
    }
}
