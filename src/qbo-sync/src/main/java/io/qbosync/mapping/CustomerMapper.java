package io.qbosync.mapping;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.apache.camel.ExchangeProperty;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.qbosync.sync.CustomerNames;
import io.qbosync.store.EntityType;
import io.qbosync.store.SyncRecord;
import io.qbosync.store.SyncRecordRepository;
import io.qbosync.sync.SyncHeaders;
import io.qbosync.sync.SyncWork;

/**
 * Builds the QBO Customer for a source contact or company (create), or a sparse update of a linked one. A contact
 * registered under its company (contacts as sub-customers, see {@link CustomerSettings}) is created as a
 * {@code Job} with {@code ParentRef} = the company's QBO customer. An update writes only the fields the mapping file
 * lets the source own: fewer for a customer that existed in QBO and was matched than for one qbo-sync created, and
 * never a DisplayName QBO holds with a suffix (a 6240 resolution) in place of the plain name.
 */
@Component("customerMapper")
public class CustomerMapper {

    private final MappingResolver mappings;
    private final SyncRecordRepository records;

    public CustomerMapper(MappingResolver mappings, SyncRecordRepository records) {
        this.mappings = mappings;
        this.records = records;
    }

    public Map<String, Object> toQbo(@ExchangeProperty(SyncHeaders.WORK) SyncWork work) {
        JsonNode customer = work.payload();
        JsonNode party = customer.path("party");
        boolean company = "company".equals(customer.path("kind").asText());
        SyncRecord record = work.record();
        Map<String, Object> qbo = new LinkedHashMap<>();
        boolean update = record.qboId() != null;
        if (update) {
            qbo.put("Id", record.qboId());
            qbo.put("SyncToken", record.qboSyncToken());
            qbo.put("sparse", true);
        }
        String displayName = CustomerNames.displayName(customer);
        qbo.put("DisplayName", displayName);
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
        if (update) {
            keepOwnedFields(qbo, record, displayName);
        } else if (customer.hasNonNull("parentKey")) {
            // A sub-customer: its parent is in QBO by now (the push route held it until then).
            String parentId = records.findByKey(record.realmId(), EntityType.CUSTOMER.key(customer.get("parentKey").asText()))
                    .map(SyncRecord::qboId).orElseThrow(() -> new IllegalStateException("Parent " + customer.get("parentKey")
                            + " of " + record.sourceId() + " is not in QBO"));
            qbo.put("Job", true);
            qbo.put("ParentRef", Map.of("value", parentId));
            qbo.put("BillWithParent", customer.path("billWithParent").asBoolean(false));
        }
        return qbo;
    }

    /** Drops from a sparse update what the source does not own on this customer. */
    private void keepOwnedFields(Map<String, Object> qbo, SyncRecord record, String displayName) {
        CustomerSettings settings = mappings.customers();
        boolean matched = record.matchedBy() != null && !"RECONCILED".equals(record.matchedBy());
        Set<String> owned = matched ? settings.ownedMatched() : settings.ownedCreated();
        qbo.keySet().removeIf(field -> CustomerSettings.FIELDS.contains(field) && !owned.contains(field));
        String held = record.qboName();
        if (held != null && !held.equals(displayName) && held.startsWith(displayName)) {
            // QBO holds the name with a suffix qbo-sync added after a clash: sending the plain name would clash again.
            qbo.remove("DisplayName");
        }
    }

    static void putText(Map<String, Object> target, String field, JsonNode value) {
        if (value != null && value.isTextual() && !value.asText().isBlank()) {
            target.put(field, value.asText());
        }
    }
}
