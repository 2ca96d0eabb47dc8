package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Change data capture (fact sheet §4): full current objects changed since {@code changedSince} (30-day
 * look-back), deleted transactions as stubs after the live ones, at most 1000 objects per response.
 */
final class CdcQuery {
    static final int MAX_OBJECTS = 1000;
    static final Duration LOOK_BACK = Duration.ofDays(30);

    private final EntityCatalog catalog;
    private final CompanyClock clock;

    CdcQuery(EntityCatalog catalog, CompanyClock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    /** Validates the parameters (before taking any lock). */
    record Request(List<EntityRules> types, long sinceMs) {
    }

    Request parse(String entities, String changedSince) {
        FaultCollector faults = new FaultCollector();
        if (entities == null || entities.isBlank()) {
            faults.add(Faults.requiredParam("entities"));
        }
        if (changedSince == null || changedSince.isBlank()) {
            faults.add(Faults.requiredParam("changedSince"));
        }
        faults.throwIfAny();
        List<EntityRules> types = new ArrayList<>();
        for (String name : entities.split(",")) {
            EntityRules r = catalog.find(name.trim());
            if (r == null) {
                throw Faults.fault(Faults.invalidProperty("Property Name:entities contains an unsupported entity "
                        + name.trim(), "entities"));
            }
            if (!types.contains(r)) {
                types.add(r);
            }
        }
        Instant since;
        try {
            since = clock.parseInstant(changedSince);
        } catch (DateTimeParseException e) {
            throw Faults.fault(Faults.invalidProperty("Property Name:changedSince is not a valid date-time",
                    "changedSince"));
        }
        if (since.isBefore(Instant.ofEpochMilli(clock.nowMillis()).minus(LOOK_BACK))) {
            throw Faults.fault(Faults.businessValidation("changedSince must be within the last 30 days."));
        }
        return new Request(types, since.toEpochMilli());
    }

    private record Hit(EntityRules type, Stored stored) {
    }

    /** Builds the {@code CDCResponse} array. Caller holds the realm's read lock. */
    ArrayNode run(RealmState realm, Request req) {
        List<Hit> hits = new ArrayList<>();
        for (EntityRules type : req.types()) {
            for (Stored s : realm.all(type.name())) {
                if (s.updatedMs() >= req.sinceMs()) {
                    hits.add(new Hit(type, s));
                }
            }
        }
        hits.sort(Comparator.comparingLong((Hit h) -> h.stored().updatedMs()).thenComparingLong(h -> h.stored().id()));
        if (hits.size() > MAX_OBJECTS) {
            hits = hits.subList(0, MAX_OBJECTS);
        }
        Map<EntityRules, List<Hit>> byType = new LinkedHashMap<>();
        for (EntityRules t : req.types()) {
            byType.put(t, new ArrayList<>());
        }
        for (Hit h : hits) {
            byType.get(h.type()).add(h);
        }
        ArrayNode cdc = Json.array();
        ArrayNode responses = cdc.addObject().putArray("QueryResponse");
        for (Map.Entry<EntityRules, List<Hit>> e : byType.entrySet()) {
            List<Hit> list = e.getValue();
            if (list.isEmpty()) {
                continue;
            }
            ObjectNode qr = responses.addObject();
            ArrayNode rows = qr.putArray(e.getKey().name());
            for (Hit h : list) {
                if (!h.stored().deleted()) {
                    rows.add(e.getKey().render(realm, h.stored().node()));
                }
            }
            for (Hit h : list) {
                if (h.stored().deleted()) {
                    ObjectNode stub = rows.addObject();
                    stub.put("domain", "QBO");
                    stub.put("status", "Deleted");
                    stub.set("Id", h.stored().node().get("Id"));
                    stub.putObject("MetaData").put("LastUpdatedTime", clock.metaTime(h.stored().updatedMs()));
                }
            }
            qr.put("startPosition", 1);
            qr.put("maxResults", list.size());
            qr.put("totalCount", list.size());
        }
        if (responses.isEmpty()) {
            responses.addObject();
        }
        return cdc;
    }
}
