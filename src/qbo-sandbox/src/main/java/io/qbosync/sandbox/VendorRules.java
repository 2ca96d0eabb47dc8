package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Vendor: exists mainly so that its DisplayName blocks customers (6240); e-mail, phones, AcctNum not queryable. */
final class VendorRules extends PartyRules {
    VendorRules() {
        super("Vendor", "vendors");
        addQueryField(QueryField.plain("CompanyName", QueryField.Kind.STRING));
        addQueryField(QueryField.plain("PrintOnCheckName", QueryField.Kind.STRING));
    }

    @Override
    void prepare(WriteContext ctx, ObjectNode c, ObjectNode previous, FaultCollector faults) {
        preparePartyFields(ctx, c, previous, faults);
    }
}
