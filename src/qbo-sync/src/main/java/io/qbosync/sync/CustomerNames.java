package io.qbosync.sync;

import com.fasterxml.jackson.databind.JsonNode;

/** The QBO DisplayName a source party gets: "First Last" for a contact, the name for a company. */
public final class CustomerNames {

    private CustomerNames() {
    }

    /** @param customer a customer payload as registered: {@code {kind, party, companyName}} */
    public static String displayName(JsonNode customer) {
        JsonNode party = customer.path("party");
        if ("company".equals(customer.path("kind").asText())) {
            return party.path("name").asText("").trim();
        }
        String name = (party.path("firstName").asText("") + " " + party.path("lastName").asText("")).trim();
        // QBO forbids ':' tab and newline in names; a contact with no name is shown by e-mail.
        name = name.replaceAll("[:\\t\\r\\n]", " ").replaceAll(" +", " ");
        return name.isEmpty() ? party.path("email").asText("") : name;
    }
}
