package io.qbosync.ops;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Service;

import io.qbosync.connect.ActiveRealm;
import io.qbosync.matching.RealmOnboarding;
import io.qbosync.store.QboIndexRepository;
import io.qbosync.store.QboIndexRepository.IndexedCustomer;
import io.qbosync.store.QboIndexRepository.Onboarding;
import io.qbosync.store.QboIndexRepository.SearchHit;
import io.qbosync.store.QboIndexRepository.Suggestion;
import io.qbosync.store.SyncRecord;
import io.qbosync.store.SyncRecordRepository;

/**
 * What ops see of the QBO customers imported at onboarding: a search for a person picking a match, the ranked
 * suggestions kept for a record held with DUPLICATE_MATCH, and onboarding (the import) on demand.
 */
@Service
public class CustomerIdentity {

    public static final int DEFAULT_LIMIT = 20;

    private final QboIndexRepository index;
    private final SyncRecordRepository records;
    private final RealmOnboarding onboarding;
    private final ActiveRealm realm;

    public CustomerIdentity(QboIndexRepository index, SyncRecordRepository records, RealmOnboarding onboarding,
            ActiveRealm realm) {
        this.index = index;
        this.records = records;
        this.onboarding = onboarding;
        this.realm = realm;
    }

    /**
     * An imported QBO customer, and the customer record already linked to it (then it cannot be matched to another).
     */
    public record QboCustomerView(String qboId, String displayName, String companyName, String email,
            String parentQboId, Long linkedRecordId, String linkedSourceId) {

        static QboCustomerView of(SearchHit hit, SyncRecordRepository records) {
            IndexedCustomer c = hit.customer();
            String linkedSource = hit.linkedRecordId() == null ? null
                    : records.findById(hit.linkedRecordId()).map(SyncRecord::sourceId).orElse(null);
            return new QboCustomerView(c.qboId(), c.displayName(), c.companyName(), c.email(), c.parentQboId(),
                    hit.linkedRecordId(), linkedSource);
        }

        /** One line, for JMX answers and messages. */
        String line() {
            return qboId + " '" + displayName + "'" + (email == null ? "" : " <" + email + ">")
                    + (linkedRecordId == null ? "" : " (linked to record " + linkedRecordId
                            + (linkedSourceId == null ? "" : " " + linkedSourceId) + ")");
        }
    }

    /** A ranked suggestion for a record held with DUPLICATE_MATCH; {@code linkedRecordId} when another took it since. */
    public record SuggestionView(int rank, String qboId, String displayName, String email, String reason, int score,
            Long linkedRecordId) {
    }

    /**
     * The last onboarding run of a company ({@code onboarded} false and the run's fields null when none ran) and
     * how many customers and items its index holds now.
     */
    public record OnboardingView(String realmId, boolean onboarded, Integer customers, Integer items,
            Integer qboRequests, String requestedBy, OffsetDateTime finishedAt, int customerCount, int itemCount) {
    }

    /** Imported customers of the company ({@code realmId}, else the active one) whose name or e-mail contains text. */
    public List<QboCustomerView> search(String realmId, String text, int limit) {
        String company = realmId == null || realmId.isBlank() ? realm.realmId() : realmId.trim();
        return index.searchCustomers(company, text == null ? "" : text, limit).stream()
                .map(hit -> QboCustomerView.of(hit, records)).toList();
    }

    /** The suggestions kept for a record, best first. */
    public List<SuggestionView> suggestions(SyncRecord record) {
        return index.suggestions(record.id()).stream().map(s -> view(record, s)).toList();
    }

    private SuggestionView view(SyncRecord record, Suggestion s) {
        Long linked = records.customerLinkedTo(record.realmId(), s.qboId(), record.id()).map(SyncRecord::id).orElse(null);
        return new SuggestionView(s.rank(), s.qboId(), s.displayName(), s.email(), s.reason(), s.score(), linked);
    }

    /** The best suggestion kept for a record, if any. */
    public Optional<Suggestion> topSuggestion(long recordId) {
        return index.suggestions(recordId).stream().findFirst();
    }

    /** The active company's last onboarding run and index sizes. */
    public OnboardingView status() {
        String company = realm.realmId();
        return view(company, index.onboarding(company));
    }

    /** Imports the active company's active customers and items again (refreshes the index; links stay). */
    public OnboardingView onboard(String by) {
        String company = realm.realmId();
        return view(company, Optional.of(onboarding.onboard(company, by)));
    }

    private OnboardingView view(String company, Optional<Onboarding> run) {
        return new OnboardingView(company, run.isPresent(), run.map(Onboarding::customers).orElse(null),
                run.map(Onboarding::items).orElse(null), run.map(Onboarding::qboRequests).orElse(null),
                run.map(Onboarding::requestedBy).orElse(null), run.map(Onboarding::finishedAt).orElse(null),
                index.customerCount(company), index.itemCount(company));
    }
}
