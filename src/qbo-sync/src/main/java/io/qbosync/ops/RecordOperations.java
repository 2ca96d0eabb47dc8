package io.qbosync.ops;

import javax.management.MBeanServer;

import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jmx.export.annotation.ManagedOperation;
import org.springframework.jmx.export.annotation.ManagedOperationParameter;
import org.springframework.jmx.export.annotation.ManagedOperationParameters;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

import io.qbosync.store.SyncRecord;

/**
 * The sync center's one-click actions as JMX operations, so that ops can act from Hawtio (JMX tab, MBean
 * {@code qbosync:type=Operations,name=Records}) as well as through {@code /api/records}. Jolokia, and so Hawtio,
 * requires the ADMIN role; the logged-in user is recorded as who decided.
 */
@Component
@ManagedResource(description = "Act on a failed or held sync record, or poll the source now")
public class RecordOperations extends NamedMBean {

    public static final String NAME = "qbosync:type=Operations,name=Records";

    private final RecordActions actions;
    private final CustomerIdentity identity;
    private final ProducerTemplate camel;

    public RecordOperations(RecordActions actions, CustomerIdentity identity, ProducerTemplate camel,
            ObjectProvider<MBeanServer> server) {
        super(NAME, server);
        this.actions = actions;
        this.identity = identity;
        this.camel = camel;
    }

    @ManagedOperation(description = "Push the record again (same requestid, so nothing is created twice)")
    @ManagedOperationParameters(@ManagedOperationParameter(name = "recordId", description = "sync record id"))
    public String resync(long recordId) {
        return describe(actions.resync(recordId, who()));
    }

    @ManagedOperation(description = "Stop syncing this record; what waits for it stays held")
    @ManagedOperationParameters(@ManagedOperationParameter(name = "recordId", description = "sync record id"))
    public String skip(long recordId) {
        return describe(actions.skip(recordId, who()));
    }

    @ManagedOperation(description = "Forget a QBO id that points at a deleted or merged entity, then push again")
    @ManagedOperationParameters(@ManagedOperationParameter(name = "recordId", description = "sync record id"))
    public String clearQboId(long recordId) {
        return describe(actions.clearQboId(recordId, who()));
    }

    @ManagedOperation(description = "Link a held customer to an existing QBO customer; what waited for it follows")
    @ManagedOperationParameters({
            @ManagedOperationParameter(name = "recordId", description = "sync record id of the customer"),
            @ManagedOperationParameter(name = "qboCustomerId", description = "Id of the QBO customer to link")})
    public String matchExisting(long recordId, String qboCustomerId) {
        return describe(actions.match(recordId, qboCustomerId, who()));
    }

    @ManagedOperation(description = "Link a held customer to the one QBO customer whose name or e-mail contains the"
            + " text (customers imported at onboarding, not linked to another record); lists the candidates otherwise")
    @ManagedOperationParameters({
            @ManagedOperationParameter(name = "recordId", description = "sync record id of the customer"),
            @ManagedOperationParameter(name = "search", description = "name, company name or e-mail (or part of it)")})
    public String matchBySearch(long recordId, String search) {
        try {
            return describe(actions.matchBySearch(recordId, search, who()));
        } catch (RecordActions.NoSingleMatchException e) {
            throw new IllegalStateException(e.withCandidates());
        }
    }

    @ManagedOperation(description = "Create a new QBO customer for a held customer instead of matching one")
    @ManagedOperationParameters(@ManagedOperationParameter(name = "recordId", description = "sync record id of the customer"))
    public String createNew(long recordId) {
        return describe(actions.create(recordId, who()));
    }

    @ManagedOperation(description = "Create a new QBO customer for every customer held because several QBO customers"
            + " fit (DUPLICATE_MATCH)")
    public String createAllUnmatched() {
        RecordActions.BulkCreate done = actions.createAllUnmatched(who());
        return "queued " + done.queued() + " customer record(s) to be created as new QBO customers: " + done.records()
                + (done.refused().isEmpty() ? "" : "; refused: " + done.refused());
    }

    @ManagedOperation(description = "Import the active QBO company's active customers and items again (the index"
            + " matching reads; links stay)")
    public String onboardNow() {
        CustomerIdentity.OnboardingView v = identity.onboard(who());
        return "Onboarded QBO company " + v.realmId() + ": " + v.customers() + " customers and " + v.items()
                + " items imported in " + v.qboRequests() + " QBO requests; the index holds " + v.customerCount()
                + " customers and " + v.itemCount() + " items";
    }

    @ManagedOperation(description = "Poll the source system now (runs in the background)")
    public String pollNow() {
        camel.asyncSendBody("direct:poll-source", null);
        return "poll started";
    }

    private static String describe(SyncRecord r) {
        return r.key() + " is " + r.status() + (r.qboId() == null ? "" : " (QBO id " + r.qboId() + ")");
    }

    private static String who() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth == null ? "jmx" : auth.getName();
    }
}
