package io.qbosync.matching;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.qbosync.component.qbo.client.QboClient;
import io.qbosync.store.RecordDecisions;
import io.qbosync.sync.SyncRejection;
import io.qbosync.sync.SyncWork;

/**
 * Finds the QBO customer a source party already is, so that qbo-sync links instead of creating a duplicate:
 * by e-mail first, then by company name (companies) or display name (contacts). Several candidates are never guessed
 * between: the record is held with a DUPLICATE_MATCH issue for a person to pick.
 *
 * <p>Sets header {@value #MATCH} to {@code NONE} or {@code ONE}; with {@code ONE} the body is the QBO customer and
 * header {@code syncMatchedBy} says how it was found.
 */
@Component("customerMatcher")
public class CustomerMatcher {

    public static final String MATCH = "qboMatch";

    private final QboClient qbo;
    private final RecordDecisions decisions;

    public CustomerMatcher(QboClient qbo, RecordDecisions decisions) {
        this.qbo = qbo;
        this.decisions = decisions;
    }

    public void match(@ExchangeProperty(SyncWork.PROPERTY) SyncWork work, Exchange exchange) {
        if (decisions.decisionOf(work.record().id()).filter(RecordDecisions.CREATE_NEW::equals).isPresent()) {
            // A person chose "create new" over the candidates QBO offered.
            exchange.getIn().setHeader(MATCH, "NONE");
            return;
        }
        JsonNode customer = work.payload();
        JsonNode party = customer.path("party");
        String realmId = work.realmId();
        boolean company = "company".equals(customer.path("kind").asText());

        String email = party.path("email").asText("");
        if (!email.isBlank() && find(realmId, "PrimaryEmailAddr", email, "EMAIL", exchange)) {
            return;
        }
        if (company) {
            String name = party.path("name").asText("");
            if (!name.isBlank() && (find(realmId, "CompanyName", name, "COMPANY_NAME", exchange)
                    || find(realmId, "DisplayName", name, "DISPLAY_NAME", exchange))) {
                return;
            }
        } else {
            String name = CustomerNames.displayName(customer);
            if (!name.isBlank() && find(realmId, "DisplayName", name, "DISPLAY_NAME", exchange)) {
                return;
            }
        }
        exchange.getIn().setHeader(MATCH, "NONE");
    }

    private boolean find(String realmId, String field, String value, String matchedBy, Exchange exchange) {
        List<Map<String, Object>> found = qbo.query(realmId,
                "SELECT * FROM Customer WHERE " + field + " = " + QboQueries.quote(value));
        if (found.isEmpty()) {
            return false;
        }
        if (found.size() > 1) {
            String ids = found.stream().map(c -> c.get("Id") + " (" + c.get("DisplayName") + ")")
                    .collect(Collectors.joining(", "));
            throw new SyncRejection("DUPLICATE_MATCH",
                    found.size() + " QBO customers share " + field + " '" + value + "': " + ids,
                    "Pick the QBO customer this record is (match), or create a new customer.");
        }
        exchange.getIn().setHeader(MATCH, "ONE");
        exchange.getIn().setHeader("syncMatchedBy", matchedBy);
        exchange.getIn().setBody(found.get(0));
        return true;
    }
}
