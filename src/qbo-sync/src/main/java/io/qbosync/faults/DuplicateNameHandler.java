package io.qbosync.faults;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.qbosync.component.qbo.QboFaultException;
import io.qbosync.component.qbo.QboFaultFamily;
import io.qbosync.sync.CustomerNames;
import io.qbosync.store.EntityType;
import io.qbosync.store.Fault;
import io.qbosync.store.SyncRecordRepository;
import io.qbosync.sync.SyncHeaders;
import io.qbosync.sync.SyncMessage;
import io.qbosync.sync.SyncWork;

/**
 * QBO 6240 "Duplicate Name Exists" on a customer write (route {@code qbo-errors-duplicate-name}).
 *
 * <p>QBO keeps one DisplayName namespace for customers, vendors and employees, active or not; its detail names the
 * record holding the name ({@code : Id=58}). Before any policy applies, {@link #inspect} makes sure the party does not
 * already have a customer in QBO: a customer with the party's e-mail (active or inactive) is this party, so it is
 * linked (or reported, when inactive) and never duplicated. Only a name held by a vendor, an employee or a customer
 * with another e-mail is left to the policy: {@link #raiseIssue} or {@link #retryWithSuffix}.
 */
@Component("duplicateNameHandler")
public class DuplicateNameHandler {

    /** Exchange property: who holds the name, found by {@link #inspect}. */
    static final String CLASH = "syncNameClash";
    /** QBO's DisplayName limit. */
    static final int MAX_DISPLAY_NAME = 500;

    /** The QBO record holding the name ({@code entity} is Customer, Vendor or Employee), or unknown. */
    record Clash(String entity, Map<String, Object> record, String id) {
        String describe() {
            return record == null ? "QBO record " + (id == null ? "(not named by QBO)" : id)
                    : "QBO " + QboLookups.describe(entity, record);
        }
    }

    private final QboLookups lookups;
    private final RepairWriter writer;
    private final FaultOutcomes outcomes;
    private final ObjectMapper json;
    private final SyncRecordRepository records;

    public DuplicateNameHandler(QboLookups lookups, RepairWriter writer, FaultOutcomes outcomes,
            SyncRecordRepository records) {
        this.lookups = lookups;
        this.writer = writer;
        this.outcomes = outcomes;
        this.json = lookups.mapper();
        this.records = records;
    }

    /** A QBO customer another customer record is linked to belongs to that party: never this record's match. */
    private List<Map<String, Object>> notLinkedElsewhere(SyncWork work, List<Map<String, Object>> customers) {
        return customers.stream().filter(c -> records.customerLinkedTo(work.realmId(), QboLookups.text(c, "Id"),
                work.record().id()).isEmpty()).toList();
    }

    /**
     * Links the party's own QBO customer if QBO already has one with its e-mail (an earlier create whose answer was
     * lost, a customer added by hand); reports an inactive one (or reactivates it when
     * {@code inactiveCustomerPolicy} is {@code reactivate}); holds the record when several customers share the
     * e-mail; fails it when the name belongs to a customer that cannot be told apart by e-mail. Otherwise records
     * who holds the name and leaves the record to the policy (header {@value SyncHeaders#RESOLVED} false).
     */
    public List<SyncMessage> inspect(Exchange exchange,
            @Header(SyncHeaders.INACTIVE_CUSTOMER_POLICY) String inactiveCustomerPolicy,
            @Header(SyncHeaders.ACTION) String action) {
        return outcomes.guarded(exchange, () -> {
            FailedWrite w = FailedWrite.capture(exchange, json);
            exchange.getIn().setHeader(SyncHeaders.RESOLVED, true);
            if (w.work() == null || w.fault() == null || w.entityType() != EntityType.CUSTOMER) {
                return w.work() == null ? List.of() : outcomes.fail(w.work(), fault(w, action));
            }
            SyncWork work = w.work();
            String realm = w.realmId();
            String name = name(w);
            String email = email(work);
            try {
                if (w.isCreate() && email != null) {
                    List<Map<String, Object>> own = notLinkedElsewhere(work, lookups.customersByEmail(realm, email, true));
                    if (own.size() == 1) {
                        return ownCustomer(w, own.get(0), email, inactiveCustomerPolicy);
                    }
                    if (own.size() > 1) {
                        return outcomes.hold(work, new Fault("DUPLICATE_MATCH", own.size() + " QBO customers (active or"
                                + " inactive) share the e-mail " + email + " of " + w.sourceName() + ": " + own.stream()
                                .map(c -> QboLookups.describe("Customer", c)).collect(Collectors.joining(", ")),
                                w.fault().detail(), null, w.fault().intuitTid(),
                                "Pick the QBO customer this record is (match), or give the others their own e-mail;"
                                        + " then resync."));
                    }
                }
                Clash clash = findClash(realm, w.fault().existingId().orElse(null), name);
                exchange.setProperty(CLASH, clash);
                if (w.isCreate() && "Customer".equals(clash.entity())) {
                    String theirs = QboLookups.email(clash.record());
                    if (email == null || theirs == null) {
                        // Same name, and nothing to tell whether it is the same party: a person decides.
                        return outcomes.fail(work, FaultOutcomes.fault(w.fault(), clash.describe() + " already has the"
                                + " name '" + name + "' and there is no e-mail on both sides to tell whether it is "
                                + w.sourceName(), "If it is the same party, match this record to " + clash.describe()
                                + "; otherwise rename one of them (e.g. a suffix such as \"(Customer)\"); then resync."));
                    }
                }
                exchange.getIn().setHeader(SyncHeaders.RESOLVED, false);
                return List.of();
            } catch (QboFaultException e) {
                return outcomes.repairFailed(work, e, action);
            }
        });
    }

    /** Policy {@code issue}: the record fails with QBO's code and message, and who holds the name. */
    public List<SyncMessage> raiseIssue(Exchange exchange, @Header(SyncHeaders.ACTION) String action) {
        return outcomes.guarded(exchange, () -> {
            FailedWrite w = FailedWrite.capture(exchange, json);
            Clash clash = exchange.getProperty(CLASH, Clash.class);
            String holder = clash == null ? "" : "'" + name(w) + "' is held by " + clash.describe() + ". ";
            return outcomes.fail(w.work(), FaultOutcomes.fault(w.fault(), holder + action));
        });
    }

    /**
     * Policy {@code suffix}: the write is repeated once with DisplayName + {@code suffix}. A customer that already
     * carries the suffixed name and the party's e-mail is linked instead; if the suffixed name is refused too, the
     * record fails.
     */
    public List<SyncMessage> retryWithSuffix(Exchange exchange, @Header(SyncHeaders.NAME_SUFFIX) String suffix,
            @Header(SyncHeaders.ACTION) String action) {
        return outcomes.guarded(exchange, () -> {
            FailedWrite w = FailedWrite.capture(exchange, json);
            SyncWork work = w.work();
            Clash clash = exchange.getProperty(CLASH, Clash.class);
            String name = name(w);
            String suffixed = name + (suffix == null ? "" : suffix);
            if (suffix == null || suffix.isBlank() || suffixed.length() > MAX_DISPLAY_NAME) {
                return outcomes.fail(work, FaultOutcomes.fault(w.fault(), "Cannot rename '" + name + "' with suffix '"
                        + suffix + "' (empty, or longer than QBO's " + MAX_DISPLAY_NAME + " characters)", action));
            }
            try {
                String email = email(work);
                if (w.isCreate() && email != null) {
                    Optional<Map<String, Object>> mine = notLinkedElsewhere(work,
                            lookups.customersByName(w.realmId(), suffixed, true)).stream()
                            .filter(c -> email.equalsIgnoreCase(QboLookups.email(c))).findFirst();
                    if (mine.isPresent() && QboLookups.active(mine.get())) {
                        return outcomes.synced(work, mine.get(), "EMAIL", null);
                    }
                }
                ObjectNode body = w.bodyCopy();
                body.put("DisplayName", suffixed);
                Map<String, Object> written = writer.write(w, body, "sfx");
                String holder = clash == null ? "another QBO record" : clash.describe();
                return outcomes.synced(work, written, null, Fault.of("NAME_SUFFIXED", (w.isCreate() ? "Created" : "Updated")
                        + " in QBO as '" + suffixed + "' because '" + name + "' is held by " + holder,
                        "None. Rename the QBO records if another naming scheme is wanted."));
            } catch (QboFaultException again) {
                if (again.family() == QboFaultFamily.DUPLICATE_NAME) {
                    return outcomes.fail(work, FaultOutcomes.fault(again, "The suffixed name '" + suffixed
                            + "' is taken as well", action));
                }
                return outcomes.repairFailed(work, again, action);
            }
        });
    }

    private List<SyncMessage> ownCustomer(FailedWrite w, Map<String, Object> customer, String email,
            String inactivePolicy) {
        if (QboLookups.active(customer)) {
            return outcomes.synced(w.work(), customer, "EMAIL", null);
        }
        String who = QboLookups.describe("Customer", customer);
        if ("reactivate".equals(inactivePolicy)) {
            Map<String, Object> active = writer.reactivateCustomer(w.realmId(), customer,
                    RepairWriter.derivedRequestId(w.requestId(), "react"));
            return outcomes.synced(w.work(), active, "EMAIL", Fault.of("CUSTOMER_REACTIVATED", "Linked to " + who
                    + ", which has this party's e-mail, and made it active again",
                    "None. Make it inactive in QBO again if this party should not be billed."));
        }
        return outcomes.fail(w.work(), FaultOutcomes.fault(w.fault(), who + " has the e-mail " + email + " of "
                + w.sourceName() + ": it is this party, but inactive in QBO", "Reactivate " + who + " in QBO (or set"
                + " sync.errors.inactive-customer.policy=reactivate), then resync. Do not create a second customer."));
    }

    /** Reads the record QBO named in the detail; ids may repeat across types, so the name must match too. */
    private Clash findClash(String realm, String id, String name) {
        if (id == null) {
            return new Clash(null, null, null);
        }
        for (String entity : List.of("Customer", "Vendor", "Employee")) {
            Optional<Map<String, Object>> found = lookups.read(realm, entity, id);
            if (found.isPresent() && name.equalsIgnoreCase(String.valueOf(found.get().get("DisplayName")))) {
                return new Clash(entity, found.get(), id);
            }
        }
        return new Clash(null, null, id);
    }

    private static String name(FailedWrite w) {
        String sent = w.body().path("DisplayName").asText("");
        return sent.isBlank() ? CustomerNames.displayName(w.work().payload()) : sent;
    }

    private static String email(SyncWork work) {
        String email = work.payload().path("party").path("email").asText("").trim();
        return email.isEmpty() ? null : email;
    }

    private static Fault fault(FailedWrite w, String action) {
        return w.fault() == null ? Fault.of("INTERNAL_ERROR", "6240 handler without a QBO fault", action)
                : FaultOutcomes.fault(w.fault(), action);
    }
}
