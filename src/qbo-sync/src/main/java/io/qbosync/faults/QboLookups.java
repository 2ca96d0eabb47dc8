package io.qbosync.faults;

import static io.qbosync.gateway.QboGateway.quote;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.qbosync.component.qbo.QboFaultException;
import io.qbosync.gateway.QboGateway;

/**
 * The QBO reads the fault handlers need to find out what a fault is about: read one entity (absent when QBO says it
 * was deleted), customers by e-mail or name including inactive ones (QBO hides inactive list entities from queries
 * unless {@code Active IN (true, false)} is asked for), invoices by number, payments of a customer. They go through
 * {@code qboGateway}, so through {@code qbo:} (routes/qbo-calls.camel.yaml).
 */
@Component
public class QboLookups {

    private final QboGateway qbo;

    public QboLookups(QboGateway qbo) {
        this.qbo = qbo;
    }

    /** The JSON mapper the handlers build corrected bodies with. */
    public ObjectMapper mapper() {
        return qbo.mapper();
    }

    /** The entity, or empty when QBO answers 610 (deleted, or no such id). Other faults are thrown. */
    public Optional<Map<String, Object>> read(String realmId, String entity, String id) {
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(qbo.read(realmId, entity, id));
        } catch (QboFaultException e) {
            if (e.objectNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public List<Map<String, Object>> customersByEmail(String realmId, String email, boolean includeInactive) {
        return qbo.query(realmId, "SELECT * FROM Customer WHERE PrimaryEmailAddr = " + quote(email) + activity(includeInactive));
    }

    public List<Map<String, Object>> customersByName(String realmId, String displayName, boolean includeInactive) {
        return qbo.query(realmId, "SELECT * FROM Customer WHERE DisplayName = " + quote(displayName) + activity(includeInactive));
    }

    public List<Map<String, Object>> invoicesByDocNumber(String realmId, String docNumber) {
        return qbo.query(realmId, "SELECT * FROM Invoice WHERE DocNumber = " + quote(docNumber));
    }

    public List<Map<String, Object>> paymentsOfCustomer(String realmId, String customerId) {
        return qbo.query(realmId, "SELECT * FROM Payment WHERE CustomerRef = " + quote(customerId));
    }

    private static String activity(boolean includeInactive) {
        return includeInactive ? " AND Active IN (true, false)" : "";
    }

    // ---------------------------------------------------------------- reading entity maps

    public static String text(Map<String, Object> entity, String field) {
        Object v = entity == null ? null : entity.get(field);
        return v == null ? null : v.toString();
    }

    /** {@code CustomerRef.value} and the like. */
    public static String refValue(Map<String, Object> entity, String field) {
        Object ref = entity == null ? null : entity.get(field);
        if (ref instanceof Map<?, ?> m && m.get("value") != null) {
            return m.get("value").toString();
        }
        return null;
    }

    public static String email(Map<String, Object> entity) {
        Object addr = entity == null ? null : entity.get("PrimaryEmailAddr");
        if (addr instanceof Map<?, ?> m && m.get("Address") != null) {
            String s = m.get("Address").toString().trim();
            return s.isEmpty() ? null : s;
        }
        return null;
    }

    /** List entities are active unless {@code Active} is false. */
    public static boolean active(Map<String, Object> entity) {
        Object v = entity.get("Active");
        return v == null || Boolean.parseBoolean(v.toString());
    }

    public static BigDecimal decimal(Map<String, Object> entity, String field) {
        Object v = entity == null ? null : entity.get(field);
        if (v == null) {
            return null;
        }
        try {
            return v instanceof BigDecimal b ? b : new BigDecimal(v.toString());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** "Customer 58 'Acme Ltd' (inactive)": how messages name a QBO list entity. */
    public static String describe(String entity, Map<String, Object> e) {
        String name = text(e, "DisplayName") != null ? text(e, "DisplayName") : text(e, "Name");
        return entity + " " + text(e, "Id") + (name == null ? "" : " '" + name + "'") + (active(e) ? "" : " (inactive)");
    }
}
