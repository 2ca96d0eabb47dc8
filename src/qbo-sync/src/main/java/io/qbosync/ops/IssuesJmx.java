package io.qbosync.ops;

import java.util.Map;
import java.util.Set;

import javax.management.MBeanServer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedOperation;
import org.springframework.jmx.export.annotation.ManagedOperationParameter;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.stereotype.Component;

import io.qbosync.store.IssueTypes;
import io.qbosync.store.QboIndexRepository;
import io.qbosync.store.SyncIssue;
import io.qbosync.store.SyncIssueRepository;

/**
 * The issues view for Hawtio and any JMX client, as MBean {@value #NAME} (exported by Spring Boot while
 * {@code spring.jmx.enabled} is true, as it is by default in qbo-sync): open issues per type as attributes (numbers
 * Hawtio can chart), and an operation listing the newest open issues with the record to act on.
 */
@Component
@ManagedResource(description = "qbo-sync issues: open counts per type and the newest open issues")
public class IssuesJmx extends NamedMBean {

    public static final String NAME = "qbosync:type=Issues";

    /** Types with an attribute of their own; the rest add up in {@code OpenOther}. */
    private static final Set<String> OWN_ATTRIBUTE = Set.of(IssueTypes.DUPLICATE_NAME, IssueTypes.DUPLICATE_DOC_NUMBER,
            IssueTypes.STALE_REFERENCE, IssueTypes.STRING_TOO_LONG, IssueTypes.STALE_SYNC_TOKEN, IssueTypes.AUTH,
            IssueTypes.TRANSIENT_EXHAUSTED, IssueTypes.DUPLICATE_MATCH, IssueTypes.QBO_VALIDATION);

    private final SyncIssueRepository issues;
    private final CustomerIdentity identity;

    public IssuesJmx(SyncIssueRepository issues, CustomerIdentity identity, ObjectProvider<MBeanServer> server) {
        super(NAME, server);
        this.issues = issues;
        this.identity = identity;
    }

    @ManagedAttribute(description = "Open issues, all types")
    public long getOpenTotal() {
        return counts().values().stream().mapToLong(Long::longValue).sum();
    }

    @ManagedAttribute(description = "Open issues per type")
    public Map<String, Long> getOpenByType() {
        return counts();
    }

    @ManagedAttribute(description = "Open DUPLICATE_NAME issues (QBO 6240)")
    public long getOpenDuplicateName() {
        return count(IssueTypes.DUPLICATE_NAME);
    }

    @ManagedAttribute(description = "Open DUPLICATE_DOC_NUMBER issues (QBO 6140)")
    public long getOpenDuplicateDocNumber() {
        return count(IssueTypes.DUPLICATE_DOC_NUMBER);
    }

    @ManagedAttribute(description = "Open STALE_REFERENCE issues (QBO 610, 2500)")
    public long getOpenStaleReference() {
        return count(IssueTypes.STALE_REFERENCE);
    }

    @ManagedAttribute(description = "Open STRING_TOO_LONG issues (QBO 2050)")
    public long getOpenStringTooLong() {
        return count(IssueTypes.STRING_TOO_LONG);
    }

    @ManagedAttribute(description = "Open STALE_SYNC_TOKEN issues (QBO 5010)")
    public long getOpenStaleSyncToken() {
        return count(IssueTypes.STALE_SYNC_TOKEN);
    }

    @ManagedAttribute(description = "Open AUTH issues (lost QBO connection)")
    public long getOpenAuth() {
        return count(IssueTypes.AUTH);
    }

    @ManagedAttribute(description = "Open TRANSIENT_EXHAUSTED issues (429/3001/5xx/no answer after all retries)")
    public long getOpenTransientExhausted() {
        return count(IssueTypes.TRANSIENT_EXHAUSTED);
    }

    @ManagedAttribute(description = "Open DUPLICATE_MATCH issues (several QBO customers fit; pick one)")
    public long getOpenDuplicateMatch() {
        return count(IssueTypes.DUPLICATE_MATCH);
    }

    @ManagedAttribute(description = "Open QBO_VALIDATION issues (other QBO validation codes)")
    public long getOpenQboValidation() {
        return count(IssueTypes.QBO_VALIDATION);
    }

    @ManagedAttribute(description = "Open issues of qbo-sync's own types (SOURCE_INVALID, ITEM_NOT_FOUND, ...)")
    public long getOpenOther() {
        return counts().entrySet().stream().filter(e -> !OWN_ATTRIBUTE.contains(e.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
    }

    @ManagedOperation(description = "The newest open issues, one line each: issue, type, count, record, QBO code and"
            + " message, the actions (POST /api/records/{record}/{action}) and, for DUPLICATE_MATCH, the top suggestion")
    @ManagedOperationParameter(name = "limit", description = "How many (1-1000)")
    public String[] newestOpen(int limit) {
        return issues.find(new SyncIssueRepository.Query(SyncIssue.Status.OPEN, null, null, null, limit)).stream()
                .map(i -> line(i, IssueTypes.DUPLICATE_MATCH.equals(i.issueType())
                        ? identity.topSuggestion(i.recordId()).orElse(null) : null))
                .toArray(String[]::new);
    }

    static String line(SyncIssue i) {
        return line(i, null);
    }

    static String line(SyncIssue i, QboIndexRepository.Suggestion top) {
        return "issue " + i.id() + " " + i.issueType() + " x" + i.occurrences() + " last " + i.lastSeen()
                + " | record " + i.recordId() + " " + i.recordKey() + " (company " + i.realmId() + ")"
                + " | " + i.qboCode() + " " + i.qboMessage()
                + (i.blockedRecords() > 0 ? " | blocks " + i.blockedRecords() + " record(s)" : "")
                + (top == null ? "" : " | top suggestion: QBO customer " + top.qboId() + " '" + top.displayName()
                        + "' (" + top.reason() + ")")
                + " | actions: " + String.join(", ", i.actions());
    }

    private Map<String, Long> counts() {
        return issues.openCountsByType(null);
    }

    private long count(String type) {
        return counts().getOrDefault(type, 0L);
    }
}
