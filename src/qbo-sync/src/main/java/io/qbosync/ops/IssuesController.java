package io.qbosync.ops;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.qbosync.store.EntityType;
import io.qbosync.store.IssueTypes;
import io.qbosync.store.SyncIssue;
import io.qbosync.store.SyncIssueRepository;
import io.qbosync.store.SyncRecord;
import io.qbosync.store.SyncRecordRepository;
import io.qbosync.store.SyncStatus;

/**
 * The issues view on the app port, read-only (VIEWER, like every GET under {@code /api}). Acting on an issue means
 * acting on its record: {@code POST /api/records/{recordId}/{action}} (OPERATOR) with one of the issue's
 * {@code actions}.
 * <pre>
 * GET /api/issues?status=OPEN&amp;type=DUPLICATE_NAME&amp;realm=…&amp;record=…&amp;limit=100   newest last_seen first
 * GET /api/issues/{id}                                                     a DUPLICATE_MATCH issue lists its record's suggestions
 * GET /api/issues/summary?realm=…                                          open issues per type
 * </pre>
 */
@RestController
@RequestMapping("/api/issues")
public class IssuesController {

    private final SyncIssueRepository issues;
    private final SyncRecordRepository records;
    private final CustomerIdentity identity;

    public IssuesController(SyncIssueRepository issues, SyncRecordRepository records, CustomerIdentity identity) {
        this.issues = issues;
        this.records = records;
        this.identity = identity;
    }

    /**
     * An issue as ops see it, with its record.
     *
     * @param fittingActions the record actions that fit the issue's type
     * @param actions        those of them the record allows right now (none once resolved): what a client offers
     * @param recordUrl      where to act: POST {@code recordUrl + "/" + action}
     * @param blockedRecords records held until this issue's record is in QBO; released when it gets there
     * @param suggestions    for a DUPLICATE_MATCH issue, the ranked QBO customers its record could be (else empty)
     */
    public record IssueView(long id, String issueType, SyncIssue.Status status, int occurrences,
            OffsetDateTime firstSeen, OffsetDateTime lastSeen, String qboCode, String qboMessage, String detail,
            String element, String intuitTid, String guidance, long recordId, String recordKey, String realmId,
            EntityType entityType, String sourceId, SyncStatus recordStatus, String recordUrl,
            List<String> fittingActions, List<String> actions, long blockedRecords, String lastAction,
            String lastActionBy, OffsetDateTime lastActionAt, OffsetDateTime resolvedAt, String resolution,
            String resolvedBy, List<CustomerIdentity.SuggestionView> suggestions) {

        static IssueView of(SyncIssue i, Optional<SyncRecord> record, List<CustomerIdentity.SuggestionView> suggestions) {
            List<String> now = i.status() == SyncIssue.Status.OPEN && record.isPresent()
                    ? i.actions().stream().filter(RecordActions.actionsFor(record.get())::contains).toList()
                    : List.of();
            return new IssueView(i.id(), i.issueType(), i.status(), i.occurrences(), i.firstSeen(), i.lastSeen(),
                    i.qboCode(), i.qboMessage(), i.detail(), i.element(), i.intuitTid(), i.guidance(), i.recordId(),
                    i.recordKey(), i.realmId(), i.entityType(), i.sourceId(),
                    record.map(SyncRecord::status).orElse(null), "/api/records/" + i.recordId(), i.actions(), now,
                    i.blockedRecords(), i.lastAction(), i.lastActionBy(), i.lastActionAt(), i.resolvedAt(),
                    i.resolution(), i.resolvedBy(), suggestions);
        }
    }

    /** Open issues: how many in all, and per type. */
    public record Summary(long open, Map<String, Long> byType) {
    }

    @GetMapping
    public List<IssueView> list(@RequestParam(required = false) SyncIssue.Status status,
            @RequestParam(required = false) String type, @RequestParam(required = false) String realm,
            @RequestParam(required = false) Long record, @RequestParam(defaultValue = "100") int limit) {
        return issues.find(new SyncIssueRepository.Query(status, blankToNull(type), blankToNull(realm), record, limit))
                .stream().map(this::view).toList();
    }

    @GetMapping("/summary")
    public Summary summary(@RequestParam(required = false) String realm) {
        Map<String, Long> byType = issues.openCountsByType(blankToNull(realm));
        return new Summary(byType.values().stream().mapToLong(Long::longValue).sum(), byType);
    }

    @GetMapping("/{id}")
    public IssueView get(@PathVariable long id) {
        return issues.findById(id).map(this::view).orElseThrow(() -> new IssueNotFoundException(id));
    }

    private IssueView view(SyncIssue issue) {
        Optional<SyncRecord> record = records.findById(issue.recordId());
        List<CustomerIdentity.SuggestionView> suggestions = IssueTypes.DUPLICATE_MATCH.equals(issue.issueType())
                && record.isPresent() ? identity.suggestions(record.get()) : List.of();
        return IssueView.of(issue, record, suggestions);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    @ExceptionHandler(IssueNotFoundException.class)
    ResponseEntity<Map<String, String>> notFound(RuntimeException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", e.getMessage()));
    }

    /** Thrown for an unknown issue id (HTTP 404). */
    static class IssueNotFoundException extends RuntimeException {
        IssueNotFoundException(long id) {
            super("No issue " + id);
        }
    }
}
