package io.qbosync.registration;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.qbosync.connect.QboCompanies;
import io.qbosync.sync.Payloads;
import io.qbosync.sync.SyncMessage;
import io.qbosync.sync.SyncStore;
import io.qbosync.mapping.CompanyRouting;
import io.qbosync.mapping.CustomerSettings;
import io.qbosync.mapping.MappingResolver;
import io.qbosync.mapping.MappingRule;
import io.qbosync.matching.CustomerMatcher;
import io.qbosync.matching.CustomerMatcher.Outcome;
import io.qbosync.source.feed.SourceCompany;
import io.qbosync.source.feed.SourceContact;
import io.qbosync.source.feed.SourceInvoice;
import io.qbosync.source.feed.SourceKind;
import io.qbosync.source.SourceItem;
import io.qbosync.source.feed.SourcePayment;
import io.qbosync.store.EntityType;
import io.qbosync.store.Fault;
import io.qbosync.store.IssueTypes;
import io.qbosync.store.QboIndexRepository;
import io.qbosync.store.QboIndexRepository.IndexedCustomer;
import io.qbosync.store.SourcePartyRepository;
import io.qbosync.store.SyncRecord;
import io.qbosync.store.SyncRecordRepository;
import io.qbosync.store.SyncRecordRepository.Registration;

/**
 * Turns one source record into sync-store rows and the queue messages to send: parties are remembered, a billed
 * party becomes a customer record, invoices are enriched with their mapping rule, payments wait for their invoice.
 * A record that cannot be registered ends FAILED with its own reason; it never stops the others.
 */
@Component("recordRegistrar")
public class RecordRegistrar {

    private static final Logger LOG = LoggerFactory.getLogger(RecordRegistrar.class);
    static final String SOURCE_INVALID = "SOURCE_INVALID";
    static final String COMPANY_ROUTE_MISSING = "COMPANY_ROUTE_MISSING";
    static final String COMPANY_NOT_CONNECTED = "COMPANY_NOT_CONNECTED";
    static final String COMPANY_CHANGED = "COMPANY_CHANGED";

    private final SyncRecordRepository records;
    private final SourcePartyRepository parties;
    private final MappingResolver mappings;
    private final QboCompanies companies;
    private final CustomerMatcher matcher;
    private final QboIndexRepository index;

    public RecordRegistrar(SyncRecordRepository records, SourcePartyRepository parties, MappingResolver mappings,
            QboCompanies companies, CustomerMatcher matcher, QboIndexRepository index) {
        this.records = records;
        this.parties = parties;
        this.mappings = mappings;
        this.companies = companies;
        this.matcher = matcher;
        this.index = index;
    }

    /** @return the messages to queue for this source record (none, one, or a customer plus its invoice) */
    public List<SyncMessage> register(SourceItem item) {
        // Where a record that cannot be routed is kept: an invalid invoice's own company when its route can be read.
        String realmId = item.kind() == SourceKind.INVOICE ? routedRealm(item).orElse(firstRealm()) : firstRealm();
        try {
            if (!item.errors().isEmpty()) {
                return rejectInvalid(realmId, item);
            }
            return switch (item.kind()) {
                case CONTACT, COMPANY -> registerParty(item);
                case INVOICE -> registerInvoice(item);
                case PAYMENT -> registerPayment(realmId, item.recordAs(SourcePayment.class));
            };
        } catch (DataAccessException | CustomerMatcher.NotOnboardedException e) {
            // The store is unreachable, or the company's customers are not imported yet: fail the poll so the
            // watermark stays and the page is read again.
            throw e;
        } catch (RuntimeException e) {
            // Anything else is specific to this record: it fails on its own and the page goes on.
            LOG.error("Could not register {} {}", item.kind(), item.sourceId(), e);
            return rejectInvalid(realmId, new SourceItem(item.kind(), item.sourceId(), item.raw(), null,
                    List.of("internal error while registering: " + e)));
        }
    }

    private List<SyncMessage> rejectInvalid(String realmId, SourceItem item) {
        EntityType type = switch (item.kind()) {
            case INVOICE -> EntityType.INVOICE;
            case PAYMENT -> EntityType.PAYMENT;
            case CONTACT, COMPANY -> EntityType.CUSTOMER;
        };
        String sourceId = type == EntityType.CUSTOMER ? item.kind().wire() + ":" + item.sourceId() : item.sourceId();
        String text = Payloads.text(item.raw());
        Registration reg = records.register(realmId, type, sourceId, Payloads.version(text), text, null, null);
        List<String> errors = item.errors();
        records.markFailed(reg.record().id(), Fault.of(SOURCE_INVALID, String.join("; ", errors),
                "Correct the record in the source system; it is synced again when it changes."));
        LOG.warn("Rejected {} {}: {}", item.kind(), item.sourceId(), String.join("; ", errors));
        return List.of();
    }

    private String firstRealm() {
        return companies.firstRealm().orElseThrow(() -> new IllegalStateException("No QBO company connected yet"));
    }

    private java.util.Optional<String> routedRealm(SourceItem item) {
        return mappings.companies().routeOf(item.raw()).flatMap(r -> companies.realmOf(r.company()));
    }

    private List<SyncMessage> registerParty(SourceItem item) {
        String partyKey = item.kind().wire() + ":" + item.sourceId();
        parties.save(partyKey, Payloads.text(Payloads.JSON.valueToTree(item.record())));
        // Only parties already billed are customers, in each company that billed them; a change is pushed as an update.
        List<SyncMessage> out = new ArrayList<>(1);
        for (SyncRecord customer : records.findInEveryCompany(EntityType.CUSTOMER, partyKey)) {
            out.addAll(customerMessage(customer.realmId(), partyKey));
        }
        return out;
    }

    private List<SyncMessage> registerInvoice(SourceItem item) {
        SourceInvoice invoice = item.recordAs(SourceInvoice.class);
        CompanyRouting routing = mappings.companies();
        Optional<CompanyRouting.Route> route = routing.routeOf(item.raw());
        Optional<String> routed = route.flatMap(r -> companies.realmOf(r.company()));
        String realmId = routed.orElse(firstRealm());
        Optional<Fault> unroutable = unroutable(invoice, item.raw(), routing, route, routed);
        if (unroutable.isPresent()) {
            String text = Payloads.text(item.raw());
            Registration reg = records.register(realmId, EntityType.INVOICE, invoice.id(), Payloads.version(text), text,
                    null, null);
            records.markFailed(reg.record().id(), unroutable.get());
            LOG.warn("Invoice {} not routed: {}", invoice.id(), unroutable.get().message());
            return List.of();
        }
        String partyKey = invoice.billToType() + ":" + invoice.billToId();
        List<SyncMessage> out = new ArrayList<>(2);
        ObjectNode payload = Payloads.JSON.createObjectNode();
        payload.set("invoice", Payloads.JSON.valueToTree(invoice));
        payload.put("customerKey", partyKey);
        Optional<MappingRule> rule = mappings.resolve(invoice.category(), invoice.typeName());
        rule.ifPresent(r -> payload.putObject("mapping").put("rule", r.rule()).put("itemSku", r.itemSku()));
        payload.putObject("company").put("key", route.get().company()).put("route", route.get().name())
                .put("docNumberPrefix", route.get().docNumberPrefix());
        String text = Payloads.text(payload);
        Registration reg = records.register(realmId, EntityType.INVOICE, invoice.id(), Payloads.version(text), text,
                EntityType.CUSTOMER.key(partyKey), rule.map(MappingRule::rule).orElse(null));

        if (parties.find(partyKey).isEmpty()) {
            records.markFailed(reg.record().id(), Fault.of("BILL_TO_NOT_FOUND",
                    "Invoice " + invoice.id() + " bills " + invoice.billToType() + " " + invoice.billToId()
                            + ", which the source never sent",
                    "Check the invoice's bill-to in the source system; it is synced again when it changes."));
            return List.of();
        }
        if (rule.isEmpty()) {
            records.markFailed(reg.record().id(), Fault.of("MAPPING_MISSING",
                    "No mapping for " + invoice.category() + " '" + invoice.typeName() + "' and no default rule",
                    "Add a rule to routes/mappings/qbo-mappings.yaml, then resync the invoice."));
            return List.of();
        }
        out.addAll(customerMessage(realmId, partyKey));
        queueOrHold(reg, payload).ifPresent(out::add);
        return out;
    }

    /**
     * Why an invoice cannot go to a company: its field names no route, its route's company is not connected, or it
     * is already in another company (moving an invoice between QBO companies is a decision for a person).
     */
    private Optional<Fault> unroutable(SourceInvoice invoice, JsonNode raw, CompanyRouting routing,
            Optional<CompanyRouting.Route> route, Optional<String> realmId) {
        if (route.isEmpty()) {
            return Optional.of(Fault.of(COMPANY_ROUTE_MISSING, "Invoice " + invoice.id() + " has " + routing.field()
                    + " '" + raw.path(routing.field()).asText("") + "', which the mapping file routes to no QBO company"
                    + " (companies.routes: " + String.join(", ", routing.routes().keySet()) + "; no otherwise)",
                    "Add a route for it (or an otherwise) under companies: in routes/mappings/qbo-mappings.yaml; the"
                            + " invoice is routed when the source sends it again."));
        }
        if (realmId.isEmpty()) {
            return Optional.of(Fault.of(COMPANY_NOT_CONNECTED, "Invoice " + invoice.id() + " goes to company '"
                    + route.get().company() + "' (" + route.get().name() + "), which is not connected",
                    "Configure qbo.companies." + route.get().company() + ".realm-id and its credentials and restart;"
                            + " the invoice is routed when the source sends it again."));
        }
        if (companies.all().size() > 1) {
            for (SyncRecord earlier : records.findInEveryCompany(EntityType.INVOICE, invoice.id())) {
                if (earlier.realmId().equals(realmId.get())) {
                    continue;
                }
                if (earlier.qboId() != null || earlier.requestId() != null) {
                    return Optional.of(Fault.of(COMPANY_CHANGED, "Invoice " + invoice.id() + " now goes to company '"
                            + route.get().company() + "' (" + route.get().name() + ") but was sent to company "
                            + earlier.realmId() + (earlier.qboId() == null ? "" : " as QBO invoice " + earlier.qboId()),
                            "Void it in company " + earlier.realmId() + " if it moved, then resync this record; or skip it."));
                }
                // Parked where it could not be routed before: it is routed now.
                records.markSkipped(earlier.id(), Fault.of(COMPANY_CHANGED, "Routed to company '"
                        + route.get().company() + "' (" + route.get().name() + ") by a later version",
                        "Nothing to do: the invoice's record in that company carries it on."));
            }
        }
        return Optional.empty();
    }

    private List<SyncMessage> registerPayment(String fallbackRealm, SourcePayment payment) {
        // A payment goes where its invoice went (the first company it was registered in).
        Optional<SyncRecord> invoice = records.findInEveryCompany(EntityType.INVOICE, payment.invoiceId()).stream()
                .findFirst();
        String realmId = invoice.map(SyncRecord::realmId).orElse(fallbackRealm);
        ObjectNode payload = Payloads.JSON.createObjectNode();
        payload.set("payment", Payloads.JSON.valueToTree(payment));
        String text = Payloads.text(payload);
        Registration reg = records.register(realmId, EntityType.PAYMENT, payment.id(), Payloads.version(text), text,
                EntityType.INVOICE.key(payment.invoiceId()), null);
        if (invoice.isEmpty()) {
            records.markFailed(reg.record().id(), Fault.of("INVOICE_NOT_FOUND",
                    "Payment " + payment.id() + " is for invoice " + payment.invoiceId() + ", which the source never sent",
                    "Check the payment's invoice in the source system; it is synced again when it changes."));
            return List.of();
        }
        return queueOrHold(reg, payload).map(List::of).orElse(List.of());
    }

    /**
     * A record whose dependency is not in QBO yet is held right away instead of queued: its message would only find
     * the dependency missing. It is queued when the dependency is synced (same lock as the push side's check).
     */
    private Optional<SyncMessage> queueOrHold(Registration reg, JsonNode payload) {
        if (!reg.enqueue()) {
            return Optional.empty();
        }
        SyncRecord record = reg.record();
        return records.dependencyOrHold(record, SyncStore.waitingFor(record.dependsOn()))
                .map(dependency -> message(reg, payload));
    }

    /**
     * (Re)registers the customer record for a billed party and returns the messages to queue: its own when it is new,
     * changed or still pending and has no match, and its parent company's first when contacts are sub-customers.
     * A new customer record is matched here, in the poll's single thread and in feed order, against the QBO customers
     * imported at onboarding: so the same source data links the same customers whatever the consumer count or timing.
     * A match links the record at once (no QBO write); an ambiguous one holds it for a person; none queues a create.
     */
    private List<SyncMessage> customerMessage(String realmId, String partyKey) {
        JsonNode party = Payloads.parse(parties.find(partyKey).orElseThrow());
        ObjectNode customer = Payloads.JSON.createObjectNode();
        customer.put("kind", partyKey.substring(0, partyKey.indexOf(':')));
        customer.set("party", party);
        List<SyncMessage> out = new ArrayList<>(2);
        String parentKey = null;
        if (party.hasNonNull("companyId")) {
            String companyKey = "company:" + party.get("companyId").asText();
            Optional<JsonNode> company = parties.find(companyKey).map(Payloads::parse);
            company.ifPresent(c -> customer.put("companyName", c.path("name").asText(null)));
            CustomerSettings settings = mappings.customers();
            if (company.isPresent() && settings.subCustomers()) {
                parentKey = companyKey;
                customer.put("parentKey", parentKey);
                customer.put("billWithParent", settings.billWithParent());
                // The parent is a customer too, billed or not, and reaches QBO first.
                out.addAll(customerMessage(realmId, companyKey));
            }
        }
        String text = Payloads.text(customer);
        Registration reg = records.register(realmId, EntityType.CUSTOMER, partyKey, Payloads.version(text), text,
                parentKey == null ? null : EntityType.CUSTOMER.key(parentKey), null);
        if (!reg.enqueue()) {
            return out;
        }
        SyncRecord record = reg.record();
        if (record.qboId() == null && record.requestId() == null) {
            Outcome match = matcher.decide(realmId, record.id(), customer);
            switch (match.kind()) {
                case ONE -> {
                    IndexedCustomer found = match.customer();
                    List<SyncRecord> released = records.linkMatch(record, found.qboId(), found.syncToken(),
                            match.matchedBy(), found.displayName());
                    LOG.info("Matched CUSTOMER {} -> QBO Customer {} '{}' (by {})", partyKey, found.qboId(),
                            found.displayName(), match.matchedBy());
                    released.forEach(r -> out.add(SyncStore.message(r)));
                    return out;
                }
                case AMBIGUOUS -> {
                    index.saveSuggestions(record.id(), match.suggestions());
                    records.markHeld(record.id(), Fault.of(IssueTypes.DUPLICATE_MATCH, match.message(),
                            CustomerMatcher.ACTION));
                    LOG.warn("Held CUSTOMER {}: {}", partyKey, match.message());
                    return out;
                }
                case NONE -> {
                    // created below
                }
            }
        }
        if (parentKey == null) {
            out.add(message(reg, customer));
        } else {
            queueOrHold(reg, customer).ifPresent(out::add);
        }
        return out;
    }

    private static SyncMessage message(Registration reg, JsonNode payload) {
        return new SyncMessage(reg.record().realmId(), reg.record().entityType(), reg.record().sourceId(),
                reg.record().sourceVersion(), payload);
    }
}
