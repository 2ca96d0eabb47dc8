package io.qbosync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.qbosync.store.EntityType;

class SyncMessageTest {

    private static SyncMessage customer(String kind, String partyJson) throws Exception {
        JsonNode payload = Payloads.JSON.readTree("{\"kind\":\"" + kind + "\",\"party\":" + partyJson + "}");
        return new SyncMessage("r1", EntityType.CUSTOMER, kind + ":x", "v1", payload);
    }

    @Test
    void customersSharingAnEmailShareAGroupWhateverTheCase() throws Exception {
        String a = customer("contact", "{\"firstName\":\"Alva\",\"lastName\":\"Berg\",\"email\":\"Home@Example.org\"}").groupId();
        String b = customer("contact", "{\"firstName\":\"Bo\",\"lastName\":\"Dahl\",\"email\":\"home@example.org \"}").groupId();
        assertThat(a).startsWith("customer-match-").isEqualTo(b);
    }

    @Test
    void withoutAnEmailTheNameGroups() throws Exception {
        String a = customer("company", "{\"name\":\"Acme Ltd\"}").groupId();
        String b = customer("company", "{\"name\":\"ACME LTD\"}").groupId();
        String c = customer("contact", "{\"firstName\":\"Acme\",\"lastName\":\"Ltd\"}").groupId();
        assertThat(a).isEqualTo(b).isEqualTo(c);
    }

    @Test
    void groupsAreBoundedAndOnlyCustomersAreGrouped() throws Exception {
        java.util.Set<String> groups = new java.util.HashSet<>();
        for (int i = 0; i < 5000; i++) {
            groups.add(customer("contact", "{\"email\":\"p" + i + "@example.org\"}").groupId());
        }
        assertThat(groups).hasSizeLessThanOrEqualTo(SyncMessage.CUSTOMER_GROUPS).hasSizeGreaterThan(SyncMessage.CUSTOMER_GROUPS / 2);
        SyncMessage invoice = new SyncMessage("r1", EntityType.INVOICE, "I-1", "v1", Payloads.JSON.createObjectNode());
        assertThat(invoice.groupId()).isNull();
    }
}
