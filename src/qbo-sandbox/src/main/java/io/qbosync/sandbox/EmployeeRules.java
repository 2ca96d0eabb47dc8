package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Employee: GivenName or FamilyName required; shares the DisplayName namespace with customers and vendors. */
final class EmployeeRules extends PartyRules {
    EmployeeRules() {
        super("Employee", "employees");
    }

    @Override
    void prepare(WriteContext ctx, ObjectNode c, ObjectNode previous, FaultCollector faults) {
        if (isBlank(Json.text(c, "GivenName")) && isBlank(Json.text(c, "FamilyName"))) {
            faults.add(Faults.requiredParam("GivenName"));
        }
        preparePartyFields(ctx, c, previous, faults);
    }
}
