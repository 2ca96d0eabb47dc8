package io.qbosync.mapping;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.ExchangeProperty;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.qbosync.matching.CustomerNames;
import io.qbosync.sync.SyncWork;

/** Builds the QBO Customer for a source contact or company (create), or a sparse update of a linked one. */
@Component("customerMapper")
public class CustomerMapper {

    public Map<String, Object> toQbo(@ExchangeProperty(SyncWork.PROPERTY) SyncWork work) {
        JsonNode customer = work.payload();
        JsonNode party = customer.path("party");
        boolean company = "company".equals(customer.path("kind").asText());
        Map<String, Object> qbo = new LinkedHashMap<>();
        if (work.record().qboId() != null) {
            qbo.put("Id", work.record().qboId());
            qbo.put("SyncToken", work.record().qboSyncToken());
            qbo.put("sparse", true);
        }
        qbo.put("DisplayName", CustomerNames.displayName(customer));
        if (company) {
            putText(qbo, "CompanyName", party.path("name"));
        } else {
            putText(qbo, "GivenName", party.path("firstName"));
            putText(qbo, "FamilyName", party.path("lastName"));
            putText(qbo, "CompanyName", customer.path("companyName"));
        }
        if (party.hasNonNull("email")) {
            qbo.put("PrimaryEmailAddr", Map.of("Address", party.get("email").asText()));
        }
        if (party.hasNonNull("phone")) {
            qbo.put("PrimaryPhone", Map.of("FreeFormNumber", party.get("phone").asText()));
        }
        JsonNode address = party.path("address");
        if (address.isObject()) {
            Map<String, Object> bill = new LinkedHashMap<>();
            putText(bill, "Line1", address.path("line1"));
            putText(bill, "Line2", address.path("line2"));
            putText(bill, "City", address.path("city"));
            putText(bill, "CountrySubDivisionCode", address.path("region"));
            putText(bill, "PostalCode", address.path("postalCode"));
            putText(bill, "Country", address.path("country"));
            if (!bill.isEmpty()) {
                qbo.put("BillAddr", bill);
            }
        }
        return qbo;
    }

    static void putText(Map<String, Object> target, String field, JsonNode value) {
        if (value != null && value.isTextual() && !value.asText().isBlank()) {
            target.put(field, value.asText());
        }
    }
}
