package io.qbosync.ops;

import java.security.Principal;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
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
 * GET  /api/records/{id}/suggestions      ranked QBO customers a record held with DUPLICATE_MATCH could be
 * POST /api/records/{id}/resync | skip | clear-qbo-id | create
 * POST /api/records/{id}/match            {"qboId": "58"} or {"search": "jane@example.org"}; 409 with the candidates
 *                                         when the search finds not exactly one free customer
 * POST /api/records/create-unmatched      every customer held with DUPLICATE_MATCH is created as a new QBO customer
 * GET  /api/dead-letters                  dead-letter counts per queue: {"qbo.customers": 0, ...}
 * GET  /api/dead-letters/parked           the same for the parked (expired) dead letters
 * GET  /api/dead-letters/{queue}?offset=0&amp;limit=50          a page (at most 100) of the dead letters of qbo.customers,
 *                                         qbo.invoices or qbo.payments, oldest first; header X-Total-Count = all of them
 * GET  /api/dead-letters/{queue}/parked?offset=0&amp;limit=50   the same for its parked messages
 * POST /api/dead-letters/{queue}/{messageId}/replay          optional body: the edited message text
 * POST /api/dead-letters/{queue}/parked/{messageId}/replay   the same from the parked queue
 * </pre>
 */
@RestController
@RequestMapping("/api")
public class RecordsController {

    private final SyncRecordRepository records;
    private final RecordDecisions decisions;
    private final RecordActions actions;
    private final DeadLetters deadLetters;
    private final CustomerIdentity identity;

    public RecordsController(SyncRecordRepository records, RecordDecisions decisions, RecordActions actions,
            DeadLetters deadLetters, CustomerIdentity identity) {
        this.records = records;
        this.decisions = decisions;
        this.actions = actions;
        this.deadLetters = deadLetters;
        this.identity = identity;
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

    @GetMapping("/records/{id}/suggestions")
    public List<CustomerIdentity.SuggestionView> suggestions(@PathVariable long id) {
        return identity.suggestions(records.findById(id).orElseThrow(() -> new RecordActions.RecordNotFoundException(id)));
    }

    @PostMapping("/records/create-unmatched")
    public RecordActions.BulkCreate createUnmatched(Principal who) {
        return actions.createAllUnmatched(who.getName());
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
            case RecordActions.MATCH -> match(id, body, by);
            default -> throw new IllegalArgumentException("Unknown action '" + action + "'; one of resync, skip,"
                    + " clear-qbo-id, match, create");
        };
        return RecordView.of(r);
    }

    private SyncRecord match(long id, Map<String, String> body, String by) {
        String qboId = body == null ? null : body.get("qboId");
        String search = body == null ? null : body.get("search");
        boolean byId = qboId != null && !qboId.isBlank();
        boolean bySearch = search != null && !search.isBlank();
        if (byId && bySearch) {
            throw new IllegalArgumentException("match takes either qboId or search, not both");
        }
        return bySearch ? actions.matchBySearch(id, search, by) : actions.match(id, qboId, by);
    }

    /** Header of a dead-letter page: how many messages the queue holds in all. */
    static final String TOTAL_COUNT = "X-Total-Count";

    @GetMapping("/dead-letters")
    public Map<String, Long> deadLetterCounts() {
        return deadLetters.counts(DeadLetters.Shelf.DEAD_LETTER);
    }

    @GetMapping("/dead-letters/parked")
    public Map<String, Long> parkedCounts() {
        return deadLetters.counts(DeadLetters.Shelf.PARKED);
    }

    @GetMapping("/dead-letters/{queue}")
    public ResponseEntity<?> deadLetters(@PathVariable String queue, @RequestParam(defaultValue = "0") int offset,
            @RequestParam(defaultValue = "50") int limit) {
        return deadLetterPage(queue, DeadLetters.Shelf.DEAD_LETTER, offset, limit);
    }

    @GetMapping("/dead-letters/{queue}/parked")
    public ResponseEntity<?> parked(@PathVariable String queue, @RequestParam(defaultValue = "0") int offset,
            @RequestParam(defaultValue = "50") int limit) {
        return deadLetterPage(queue, DeadLetters.Shelf.PARKED, offset, limit);
    }

    /** The page as a JSON array (the shape this endpoint always had), the total in {@value #TOTAL_COUNT}. */
    private ResponseEntity<?> deadLetterPage(String queue, DeadLetters.Shelf shelf, int offset, int limit) {
        if (offset < 0 || limit < 1 || limit > DeadLetters.MAX_PAGE) {
            return ResponseEntity.badRequest().body(Map.of("error", "offset must be 0 or more and limit 1 to "
                    + DeadLetters.MAX_PAGE, "offset", offset, "limit", limit));
        }
        DeadLetters.Page page = deadLetters.list(queue, shelf, offset, limit);
        return ResponseEntity.ok().header(TOTAL_COUNT, Long.toString(page.total())).body(page.items());
    }

    @PostMapping("/dead-letters/{queue}/{messageId}/replay")
    public ResponseEntity<Map<String, Object>> replay(@PathVariable String queue, @PathVariable String messageId,
            @RequestBody(required = false) String editedBody, Principal who) {
        return replayFrom(queue, DeadLetters.Shelf.DEAD_LETTER, messageId, editedBody, who);
    }

    @PostMapping("/dead-letters/{queue}/parked/{messageId}/replay")
    public ResponseEntity<Map<String, Object>> replayParked(@PathVariable String queue, @PathVariable String messageId,
            @RequestBody(required = false) String editedBody, Principal who) {
        return replayFrom(queue, DeadLetters.Shelf.PARKED, messageId, editedBody, who);
    }

    private ResponseEntity<Map<String, Object>> replayFrom(String queue, DeadLetters.Shelf shelf, String messageId,
            String editedBody, Principal who) {
        boolean moved = deadLetters.replay(queue, shelf, messageId, editedBody, who.getName());
        return ResponseEntity.status(moved ? HttpStatus.OK : HttpStatus.NOT_FOUND)
                .body(Map.of("replayed", moved, "queue", queue, "messageId", messageId));
    }

    @ExceptionHandler(RecordActions.RecordNotFoundException.class)
    ResponseEntity<Map<String, String>> notFound(RuntimeException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", e.getMessage()));
    }

    @ExceptionHandler(RecordActions.NoSingleMatchException.class)
    ResponseEntity<Map<String, Object>> noSingleMatch(RecordActions.NoSingleMatchException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.getMessage());
        body.put("search", e.search());
        body.put("candidates", e.candidates());
        return ResponseEntity.status(HttpStatus.CONFLICT).body(body);
    }

    @ExceptionHandler(RecordActions.LinkedElsewhereException.class)
    ResponseEntity<Map<String, Object>> linkedElsewhere(RecordActions.LinkedElsewhereException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.getMessage());
        body.put("qboId", e.qboId());
        body.put("linkedRecordId", e.linkedRecordId());
        body.put("linkedRecordKey", e.linkedRecordKey());
        return ResponseEntity.status(HttpStatus.CONFLICT).body(body);
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
