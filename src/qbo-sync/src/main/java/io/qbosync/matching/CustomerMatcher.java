package io.qbosync.matching;

import io.qbosync.source.feed.NameKeys;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.qbosync.gateway.QboGateway;
import io.qbosync.store.QboIndexRepository;
import io.qbosync.store.QboIndexRepository.IndexedCustomer;
import io.qbosync.store.QboIndexRepository.Suggestion;
import io.qbosync.store.RecordDecisions;
import io.qbosync.store.SyncRecordRepository;
import io.qbosync.sync.CustomerNames;
import io.qbosync.sync.SyncHeaders;
import io.qbosync.sync.SyncRejection;
import io.qbosync.sync.SyncWork;

/**
 * Finds the QBO customer a source party already is, so that qbo-sync links instead of creating a duplicate. It reads
 * the customers imported at onboarding ({@link QboIndexRepository}), not QBO itself, so a match costs no QBO request
 * and cannot see customers qbo-sync is creating at the same moment (QBO is asked only to repair a record that lost
 * its counterpart, see {@link #match}). Rules, in order:
 * <ol>
 * <li>a person's "create new" decision wins: no match;</li>
 * <li>the party's e-mail against the customers' e-mail (case-insensitive);</li>
 * <li>the party's name against the customers' DisplayName (companies also against a company-style customer's
 * CompanyName), compared as {@link NameKeys} (case, accents, punctuation, legal suffixes such as LLC / Ltd / Inc
 * dropped).</li>
 * </ol>
 * A customer already linked to another customer record (matched to it, or created for it) is never a candidate, so
 * a company is never linked to its contact's customer and one QBO customer never stands for two parties. One
 * candidate links; several are never guessed between: the record is held with DUPLICATE_MATCH and up to three ranked
 * suggestions, each with its reason.
 */
@Component("customerMatcher")
public class CustomerMatcher {

    static final int MAX_SUGGESTIONS = 3;

    private final QboIndexRepository index;
    private final RecordDecisions decisions;
    private final SyncRecordRepository records;
    private final QboGateway qbo;
    private final Set<String> onboarded = ConcurrentHashMap.newKeySet();

    public CustomerMatcher(QboIndexRepository index, RecordDecisions decisions, SyncRecordRepository records,
            QboGateway qbo) {
        this.index = index;
        this.decisions = decisions;
        this.records = records;
        this.qbo = qbo;
    }

    /** What matching found for one party. */
    public record Outcome(Kind kind, IndexedCustomer customer, String matchedBy, String message,
            List<Suggestion> suggestions) {

        public enum Kind { NONE, ONE, AMBIGUOUS }

        static Outcome none() {
            return new Outcome(Kind.NONE, null, null, null, List.of());
        }
    }

    /**
     * The push routes' step for a customer record without a QBO counterpart (a party whose match was cleared, or that
     * was registered before its company was onboarded). Sets header {@value SyncHeaders#MATCH} to {@code NONE} or
     * {@code ONE}; with {@code ONE} the body is the QBO customer ({@code Id}, {@code SyncToken}, {@code DisplayName})
     * and header {@value SyncHeaders#MATCHED_BY} says how it was found. Several candidates raise DUPLICATE_MATCH.
     */
    public void match(@ExchangeProperty(SyncHeaders.WORK) SyncWork work, Exchange exchange) {
        Outcome outcome = decide(work.realmId(), work.record().id(), work.payload());
        if (outcome.kind() == Outcome.Kind.NONE && work.record().syncedAt() != null) {
            outcome = rematchInQbo(work);
        }
        switch (outcome.kind()) {
            case ONE -> {
                exchange.getIn().setHeader(SyncHeaders.MATCH, "ONE");
                exchange.getIn().setHeader(SyncHeaders.MATCHED_BY, outcome.matchedBy());
                exchange.getIn().setBody(asEntity(outcome.customer()));
            }
            case AMBIGUOUS -> {
                index.saveSuggestions(work.record().id(), outcome.suggestions());
                throw new SyncRejection("DUPLICATE_MATCH", outcome.message(), ACTION);
            }
            case NONE -> exchange.getIn().setHeader(SyncHeaders.MATCH, "NONE");
        }
    }

    /**
     * A record that was in QBO once and lost its counterpart (merged or deleted there, its link cleared) may belong to
     * a customer qbo-sync created after onboarding, which the index does not hold: only for such a repair is QBO
     * itself asked, by e-mail then exact DisplayName, and a customer linked to another record is still never taken.
     */
    private Outcome rematchInQbo(SyncWork work) {
        String realmId = work.realmId();
        JsonNode party = work.payload().path("party");
        String email = party.path("email").asText("");
        if (!email.isBlank()) {
            List<Map<String, Object>> byEmail = unclaimed(work, qbo.query(realmId,
                    "SELECT * FROM Customer WHERE PrimaryEmailAddr = " + QboGateway.quote(email)));
            if (byEmail.size() == 1) {
                return new Outcome(Outcome.Kind.ONE, fromQbo(realmId, byEmail.get(0)), "EMAIL", null, List.of());
            }
        }
        String name = CustomerNames.displayName(work.payload());
        if (!name.isBlank()) {
            List<Map<String, Object>> byName = unclaimed(work, qbo.query(realmId,
                    "SELECT * FROM Customer WHERE DisplayName = " + QboGateway.quote(name)));
            if (byName.size() == 1) {
                return new Outcome(Outcome.Kind.ONE, fromQbo(realmId, byName.get(0)), "DISPLAY_NAME", null, List.of());
            }
        }
        return Outcome.none();
    }

    private List<Map<String, Object>> unclaimed(SyncWork work, List<Map<String, Object>> customers) {
        return customers.stream().filter(c -> records.customerLinkedTo(work.realmId(), String.valueOf(c.get("Id")),
                work.record().id()).isEmpty()).toList();
    }

    private static IndexedCustomer fromQbo(String realmId, Map<String, Object> c) {
        return new IndexedCustomer(realmId, String.valueOf(c.get("Id")), String.valueOf(c.get("DisplayName")),
                null, null, false, null, c.get("SyncToken") == null ? null : c.get("SyncToken").toString());
    }

    /** What a person does about DUPLICATE_MATCH. */
    public static final String ACTION = "Pick the QBO customer this record is (match, by id or by a name or e-mail search;"
            + " the suggestions are ranked), or create a new customer.";

    /**
     * Decides the match of one customer record from the imported customers and the links already in the store.
     *
     * @param customer the customer payload as registered: {@code {kind, party, companyName}}
     */
    public Outcome decide(String realmId, long recordId, JsonNode customer) {
        requireOnboarded(realmId);
        if (decisions.decisionOf(recordId).filter(RecordDecisions.CREATE_NEW::equals).isPresent()) {
            return Outcome.none();
        }
        JsonNode party = customer.path("party");
        boolean company = "company".equals(customer.path("kind").asText());
        String email = party.path("email").asText("");
        String displayName = CustomerNames.displayName(customer);
        String nameKey = NameKeys.name(company ? party.path("name").asText("") : displayName);

        List<IndexedCustomer> byEmail = index.candidatesByEmail(realmId, NameKeys.email(email), recordId);
        if (byEmail.size() == 1) {
            return new Outcome(Outcome.Kind.ONE, byEmail.get(0), "EMAIL", null, List.of());
        }
        if (byEmail.size() > 1) {
            return ambiguous(byEmail.size() + " QBO customers share the e-mail '" + email + "'", byEmail, email,
                    displayName, nameKey);
        }
        Map<String, IndexedCustomer> byName = new LinkedHashMap<>();
        Map<String, String> how = new LinkedHashMap<>();
        for (IndexedCustomer c : index.candidatesByName(realmId, nameKey, recordId)) {
            byName.put(c.qboId(), c);
            how.put(c.qboId(), "DISPLAY_NAME");
        }
        if (company) {
            for (IndexedCustomer c : index.candidatesByCompany(realmId, nameKey, recordId)) {
                byName.putIfAbsent(c.qboId(), c);
                how.putIfAbsent(c.qboId(), "COMPANY_NAME");
            }
        }
        if (byName.size() == 1) {
            IndexedCustomer only = byName.values().iterator().next();
            return new Outcome(Outcome.Kind.ONE, only, how.get(only.qboId()), null, List.of());
        }
        if (byName.size() > 1) {
            return ambiguous(byName.size() + " QBO customers have the name '" + displayName + "' (ignoring case,"
                    + " accents, punctuation and legal suffixes)", new ArrayList<>(byName.values()), email, displayName,
                    nameKey);
        }
        return Outcome.none();
    }

    /**
     * Matching against an index that was never imported would find nothing and create a duplicate of every customer
     * QBO already has: refuse instead, so the poll fails and its page is read again once onboarding ran.
     */
    private void requireOnboarded(String realmId) {
        if (!onboarded.contains(realmId)) {
            if (index.onboarding(realmId).isEmpty()) {
                throw new NotOnboardedException(realmId);
            }
            onboarded.add(realmId);
        }
    }

    /** The company's customers were never imported (see {@link RealmOnboarding}). */
    public static class NotOnboardedException extends IllegalStateException {
        NotOnboardedException(String realmId) {
            super("QBO company " + realmId + " is not onboarded yet: its customers must be imported before any is"
                    + " matched or created (POST /api/onboarding, or the next poll)");
        }
    }

    private static Outcome ambiguous(String why, List<IndexedCustomer> candidates, String email, String displayName,
            String nameKey) {
        List<Suggestion> ranked = rank(candidates, email, displayName, nameKey);
        String listed = candidates.stream().map(c -> c.qboId() + " (" + c.displayName() + ")")
                .collect(Collectors.joining(", "));
        return new Outcome(Outcome.Kind.AMBIGUOUS, null, null, why + ": " + listed, ranked);
    }

    /**
     * Orders candidates by how much of the party they share: the e-mail (100), the exact name (60), the normalised
     * name (40), the normalised company name (20); ties by QBO id, oldest first. Deterministic for the same data.
     */
    static List<Suggestion> rank(List<IndexedCustomer> candidates, String email, String displayName, String nameKey) {
        record Scored(IndexedCustomer c, int score, String reason) {
        }
        List<Scored> scored = new ArrayList<>();
        for (IndexedCustomer c : candidates) {
            int score = 0;
            List<String> reasons = new ArrayList<>();
            String emailKey = NameKeys.email(email);
            if (emailKey != null && emailKey.equals(NameKeys.email(c.email()))) {
                score += 100;
                reasons.add("same e-mail " + c.email());
            }
            if (c.displayName().equalsIgnoreCase(displayName)) {
                score += 60;
                reasons.add("same name");
            } else if (nameKey != null && nameKey.equals(NameKeys.name(c.displayName()))) {
                score += 40;
                reasons.add("name '" + c.displayName() + "' equals '" + displayName + "' once normalised");
            }
            if (nameKey != null && nameKey.equals(NameKeys.name(c.companyName()))) {
                score += 20;
                reasons.add("company name '" + c.companyName() + "'");
            }
            if (reasons.isEmpty()) {
                reasons.add("candidate");
            }
            scored.add(new Scored(c, score, String.join("; ", reasons)));
        }
        scored.sort(Comparator.comparingInt(Scored::score).reversed()
                .thenComparing(s -> s.c().qboId(), Comparator.comparingInt(String::length).thenComparing(s -> s)));
        List<Suggestion> out = new ArrayList<>();
        for (int i = 0; i < Math.min(MAX_SUGGESTIONS, scored.size()); i++) {
            Scored s = scored.get(i);
            out.add(new Suggestion(i + 1, s.c().qboId(), s.c().displayName(), s.c().email(), s.reason(), s.score()));
        }
        return out;
    }

    /** The QBO customer as the push routes' {@code synced} step reads it. */
    static Map<String, Object> asEntity(IndexedCustomer c) {
        Map<String, Object> entity = new LinkedHashMap<>();
        entity.put("Id", c.qboId());
        entity.put("SyncToken", c.syncToken());
        entity.put("DisplayName", c.displayName());
        return entity;
    }
}
