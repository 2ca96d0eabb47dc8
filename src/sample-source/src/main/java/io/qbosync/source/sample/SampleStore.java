package io.qbosync.source.sample;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qbosync.source.feed.SourceJson;
import io.qbosync.source.feed.SourceKind;
import io.qbosync.source.feed.SourceIds;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The sample source's records and write-backs: generated data plus the journal replayed on top. Every record
 * is kept as the exact bytes the feed serves, which lets injected malformed records (even invalid UTF-8) go
 * out verbatim. All public methods are synchronized: the data set is small and the lock keeps feed pages,
 * journal lines and bump times consistent.
 */
final class SampleStore implements AutoCloseable {
    /** One record as served: its feed position and its JSON bytes. {@code malformed} = injected verbatim. */
    record Stored(FeedKey key, byte[] json, boolean malformed) {
    }

    /** What the server answers for a write-back call. */
    record WriteResult(boolean created, ObjectNode qbo) {
    }

    private final Map<SourceKind, Map<String, Stored>> byId = new EnumMap<>(SourceKind.class);
    private final TreeMap<FeedKey, Stored> feed = new TreeMap<>();
    private final Map<String, ObjectNode> qboByInvoice = new HashMap<>();
    private final ArrayNode writeBackLog = SourceJson.mapper().createArrayNode();
    private final RecordCheck check;
    private final Clock clock;
    private SampleJournal journal;
    private Instant lastTime = Instant.EPOCH;

    SampleStore(SampleDataSet data, Clock clock) {
        this(data, clock, RecordCheck.NONE);
    }

    SampleStore(SampleDataSet data, Clock clock, RecordCheck check) {
        this.clock = clock;
        this.check = check;
        for (SourceKind k : SourceKind.values()) {
            byId.put(k, new HashMap<>());
        }
        data.companies().forEach(c -> putRecord(SourceKind.COMPANY, c.id(), Instant.parse(c.updatedAt()), c));
        data.contacts().forEach(c -> putRecord(SourceKind.CONTACT, c.id(), Instant.parse(c.updatedAt()), c));
        data.invoices().forEach(i -> putRecord(SourceKind.INVOICE, i.id(), Instant.parse(i.updatedAt()), i));
        data.payments().forEach(p -> putRecord(SourceKind.PAYMENT, p.id(), Instant.parse(p.updatedAt()), p));
    }

    /**
     * Mixes fuzz records into the feed at their corpus positions, served verbatim. They are part of the generated
     * data (rebuilt from the seed on every start, never journalled). Records sharing an id are all served, each
     * under its own feed position (the later ones filed as {@code <id>#dup-<seq>}): that is the duplicate-id case.
     */
    synchronized void addMalformed(List<MalformedRecord> records) {
        for (MalformedRecord r : records) {
            String id = byId.get(r.kind()).containsKey(r.sourceId()) ? r.sourceId() + "#dup-" + r.seq() : r.sourceId();
            store(new Stored(new FeedKey(r.feedTime(), r.kind(), id), r.json(), true));
        }
    }

    /** Replays journalled entries, then journals every later change to {@code journal}. */
    synchronized void attach(SampleJournal.Opened opened) {
        for (ObjectNode e : opened.entries()) {
            replay(e);
        }
        this.journal = opened.journal();
    }

    private void replay(ObjectNode e) {
        String op = e.path("op").asText();
        switch (op) {
            case "put" -> {
                SourceKind kind = SourceKind.fromWire(e.path("kind").asText());
                store(new Stored(new FeedKey(Instant.parse(e.path("time").asText()), kind, e.path("id").asText()),
                        bytes(e.get("record")), false));
            }
            case "raw" -> {
                SourceKind kind = SourceKind.fromWire(e.path("kind").asText());
                store(new Stored(new FeedKey(Instant.parse(e.path("time").asText()), kind, e.path("id").asText()),
                        Base64.getDecoder().decode(e.path("bytes").asText()), true));
            }
            case "status" -> applyStatus(e);
            case "payment" -> applyPayment(e);
            default -> throw new IllegalStateException("unknown journal entry " + e);
        }
    }

    // ---- feed ----------------------------------------------------------------------------------------------

    /**
     * One page of the feed as JSON bytes in the {@code SourceChanges} shape.
     *
     * @param since null for the beginning, else a key from a cursor
     */
    synchronized byte[] changesPage(FeedKey since, String sinceCursor, int limit) {
        NavigableMap<FeedKey, Stored> tail = since == null ? feed : feed.tailMap(since, false);
        Map<SourceKind, List<byte[]>> parts = new EnumMap<>(SourceKind.class);
        for (SourceKind k : SourceKind.values()) {
            parts.put(k, new ArrayList<>());
        }
        Iterator<Stored> it = tail.values().iterator();
        FeedKey last = null;
        int n = 0;
        while (n < limit && it.hasNext()) {
            Stored s = it.next();
            parts.get(s.key().kind()).add(s.json());
            last = s.key();
            n++;
        }
        boolean hasMore = it.hasNext();
        String next = last != null ? last.toCursor() : (sinceCursor == null || sinceCursor.isEmpty() ? null : sinceCursor);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + n * 400);
        out.writeBytes("{".getBytes(StandardCharsets.UTF_8));
        for (SourceKind k : List.of(SourceKind.CONTACT, SourceKind.COMPANY, SourceKind.INVOICE, SourceKind.PAYMENT)) {
            out.writeBytes(("\"" + k.plural() + "\":[").getBytes(StandardCharsets.UTF_8));
            List<byte[]> list = parts.get(k);
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.writeBytes(list.get(i));
            }
            out.writeBytes("],".getBytes(StandardCharsets.UTF_8));
        }
        try {
            out.writeBytes(("\"nextCursor\":" + SourceJson.mapper().writeValueAsString(next)
                    + ",\"hasMore\":" + hasMore + "}").getBytes(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** A record's JSON; invoices that received write-backs carry them under {@code "qbo"}. Null when unknown. */
    synchronized byte[] get(SourceKind kind, String id) {
        Stored s = byId.get(kind).get(id);
        if (s == null) {
            return null;
        }
        ObjectNode qbo = kind == SourceKind.INVOICE ? qboByInvoice.get(id) : null;
        if (qbo == null || s.malformed()) {
            return s.json();
        }
        try {
            ObjectNode node = (ObjectNode) SourceJson.mapper().readTree(s.json());
            node.set("qbo", qbo.deepCopy());
            return SourceJson.mapper().writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- admin changes ---------------------------------------------------------------------------------------

    /**
     * Adds or changes well-formed records: each given object is merged field by field onto the stored record
     * of the same kind and id, stamped with a fresh updatedAt, and validated. All or nothing.
     *
     * @return the stored records' kind, id and updatedAt
     * @throws SampleRequestException with every validation message when any record is invalid
     */
    synchronized ArrayNode putRecords(JsonNode body) {
        Instant time = bump();
        List<ObjectNode> merged = new ArrayList<>();
        List<SourceKind> kinds = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (SourceKind kind : SourceKind.values()) {
            for (JsonNode patch : arrayOf(body, kind)) {
                if (!patch.isObject() || !patch.path("id").isTextual() || patch.path("id").asText().isBlank()) {
                    errors.add(kind.plural() + ": every record needs a string id (use /sample/malformed for broken records)");
                    continue;
                }
                String id = patch.get("id").asText();
                Stored existing = byId.get(kind).get(id);
                ObjectNode base = existing == null || existing.malformed() ? SourceJson.mapper().createObjectNode() : parseObject(existing.json());
                base.setAll((ObjectNode) patch);
                base.put("updatedAt", time.toString());
                errors.addAll(check.problems(kind, base));
                merged.add(base);
                kinds.add(kind);
            }
        }
        if (!errors.isEmpty()) {
            throw new SampleRequestException(400, errors);
        }
        if (merged.isEmpty()) {
            throw new SampleRequestException(400, List.of("no records given: send {\"contacts\":[…],\"companies\":[…],\"invoices\":[…],\"payments\":[…]}"));
        }
        ArrayNode result = SourceJson.mapper().createArrayNode();
        for (int i = 0; i < merged.size(); i++) {
            ObjectNode rec = merged.get(i);
            SourceKind kind = kinds.get(i);
            String id = rec.get("id").asText();
            ObjectNode entry = SourceJson.mapper().createObjectNode().put("op", "put").put("kind", kind.wire())
                    .put("id", id).put("time", time.toString());
            entry.set("record", rec);
            journal(entry);
            store(new Stored(new FeedKey(time, kind, id), bytes(rec), false));
            result.addObject().put("kind", kind.wire()).put("id", id).put("updatedAt", time.toString());
        }
        return result;
    }

    /** Stores each element of the arrays as a verbatim (re-serialised, unvalidated) record. */
    synchronized ArrayNode putMalformed(JsonNode body) {
        ArrayNode result = SourceJson.mapper().createArrayNode();
        int count = 0;
        for (SourceKind kind : SourceKind.values()) {
            for (JsonNode raw : arrayOf(body, kind)) {
                result.add(storeRaw(kind, bytes(raw), raw));
                count++;
            }
        }
        if (count == 0) {
            throw new SampleRequestException(400, List.of("no records given: send {\"invoices\":[…], …} or raw bytes with ?kind="));
        }
        return result;
    }

    /** Stores one record given as raw bytes, byte for byte; they must still read as one JSON value. */
    synchronized ObjectNode putMalformedBytes(SourceKind kind, byte[] body) {
        JsonNode lenient;
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(java.nio.ByteBuffer.wrap(body)).toString();
            lenient = SourceJson.mapper().readTree(text);
        } catch (IOException e) {
            lenient = null;
        }
        if (lenient == null || lenient.isMissingNode()) {
            throw new SampleRequestException(400, List.of("the body must be one JSON value (bytes inside strings may be anything);"
                    + " a value that is not JSON would break every page for every reader"));
        }
        return storeRaw(kind, body, lenient);
    }

    private ObjectNode storeRaw(SourceKind kind, byte[] json, JsonNode parsed) {
        Instant time = bump();
        String id = SourceIds.of(parsed);
        ObjectNode entry = SourceJson.mapper().createObjectNode().put("op", "raw").put("kind", kind.wire())
                .put("id", id).put("time", time.toString()).put("bytes", Base64.getEncoder().encodeToString(json));
        journal(entry);
        store(new Stored(new FeedKey(time, kind, id), json, true));
        return SourceJson.mapper().createObjectNode().put("kind", kind.wire()).put("id", id).put("updatedAt", time.toString());
    }

    // ---- write-backs -------------------------------------------------------------------------------------------

    /** Records QBO's status of an invoice. The caller has validated the fields. */
    synchronized WriteResult writeStatus(String invoiceId, String status, BigDecimal balance, String qboId, String docNumber) {
        requireInvoice(invoiceId);
        ObjectNode e = SourceJson.mapper().createObjectNode().put("op", "status").put("invoiceId", invoiceId)
                .put("status", status).put("balance", balance).put("qboId", qboId).put("docNumber", docNumber)
                .put("at", now().toString());
        journal(e);
        applyStatus(e);
        return new WriteResult(false, qboByInvoice.get(invoiceId).deepCopy());
    }

    /** Records a QBO payment on an invoice, once per qboPaymentId; a repeat with other values updates it. */
    synchronized WriteResult writePayment(String invoiceId, String qboPaymentId, BigDecimal amount, String date) {
        requireInvoice(invoiceId);
        ObjectNode existing = findPayment(invoiceId, qboPaymentId);
        if (existing != null && existing.path("amount").decimalValue().compareTo(amount) == 0
                && existing.path("date").asText().equals(date)) {
            return new WriteResult(false, qboByInvoice.get(invoiceId).deepCopy());
        }
        ObjectNode e = SourceJson.mapper().createObjectNode().put("op", "payment").put("invoiceId", invoiceId)
                .put("qboPaymentId", qboPaymentId).put("amount", amount).put("date", date).put("at", now().toString());
        journal(e);
        applyPayment(e);
        return new WriteResult(existing == null, qboByInvoice.get(invoiceId).deepCopy());
    }

    synchronized ArrayNode writeBacks() {
        return writeBackLog.deepCopy();
    }

    synchronized boolean hasInvoice(String id) {
        return byId.get(SourceKind.INVOICE).containsKey(id);
    }

    private void requireInvoice(String invoiceId) {
        if (!hasInvoice(invoiceId)) {
            throw new SampleRequestException(404, List.of("invoice " + invoiceId + " does not exist"));
        }
    }

    private void applyStatus(ObjectNode e) {
        String invoiceId = e.path("invoiceId").asText();
        ObjectNode qbo = qboOf(invoiceId);
        for (String f : List.of("status", "balance", "qboId", "docNumber")) {
            qbo.set(f, e.get(f));
        }
        qbo.set("statusUpdatedAt", e.get("at"));
        ObjectNode log = writeBackLog.addObject().put("type", "qbo-status");
        log.setAll(e);
        log.remove("op");
    }

    private void applyPayment(ObjectNode e) {
        String invoiceId = e.path("invoiceId").asText();
        String paymentId = e.path("qboPaymentId").asText();
        ObjectNode p = findPayment(invoiceId, paymentId);
        if (p == null) {
            p = ((ArrayNode) qboOf(invoiceId).get("payments")).addObject().put("qboPaymentId", paymentId);
        }
        p.set("amount", e.get("amount"));
        p.set("date", e.get("date"));
        p.set("receivedAt", e.get("at"));
        ObjectNode log = writeBackLog.addObject().put("type", "payment");
        log.setAll(e);
        log.remove("op");
    }

    private ObjectNode qboOf(String invoiceId) {
        return qboByInvoice.computeIfAbsent(invoiceId, id -> {
            ObjectNode n = SourceJson.mapper().createObjectNode();
            n.putNull("status");
            n.putArray("payments");
            return n;
        });
    }

    private ObjectNode findPayment(String invoiceId, String qboPaymentId) {
        ObjectNode qbo = qboByInvoice.get(invoiceId);
        if (qbo == null) {
            return null;
        }
        for (JsonNode p : qbo.get("payments")) {
            if (qboPaymentId.equals(p.path("qboPaymentId").asText())) {
                return (ObjectNode) p;
            }
        }
        return null;
    }

    // ---- stats and plumbing -----------------------------------------------------------------------------------

    synchronized ObjectNode stats() {
        ObjectNode n = SourceJson.mapper().createObjectNode();
        int total = 0;
        int malformed = 0;
        for (SourceKind k : List.of(SourceKind.CONTACT, SourceKind.COMPANY, SourceKind.INVOICE, SourceKind.PAYMENT)) {
            Map<String, Stored> m = byId.get(k);
            n.put(k.plural(), m.size());
            total += m.size();
            malformed += (int) m.values().stream().filter(Stored::malformed).count();
        }
        n.put("total", total);
        n.put("malformed", malformed);
        n.put("writeBacks", writeBackLog.size());
        return n;
    }

    private void putRecord(SourceKind kind, String id, Instant time, Object record) {
        store(new Stored(new FeedKey(time, kind, id), bytes(SourceJson.mapper().valueToTree(record)), false));
    }

    private void store(Stored s) {
        Stored old = byId.get(s.key().kind()).put(s.key().id(), s);
        if (old != null) {
            feed.remove(old.key());
        }
        feed.put(s.key(), s);
        if (s.key().time().isAfter(lastTime)) {
            lastTime = s.key().time();
        }
    }

    private void journal(ObjectNode entry) {
        if (journal != null) {
            journal.append(entry);
        }
    }

    /** A feed time after everything stored, so a runtime change lands after every cursor already handed out. */
    private Instant bump() {
        Instant now = now();
        Instant next = lastTime.plusMillis(1).truncatedTo(ChronoUnit.MILLIS);
        return now.isAfter(next) ? now : next;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static List<JsonNode> arrayOf(JsonNode body, SourceKind kind) {
        JsonNode arr = body == null ? null : body.get(kind.plural());
        List<JsonNode> list = new ArrayList<>();
        if (arr != null && arr.isArray()) {
            arr.forEach(list::add);
        } else if (arr != null && !arr.isNull()) {
            throw new SampleRequestException(400, List.of(kind.plural() + " must be an array"));
        }
        return list;
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return SourceJson.mapper().writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode parseObject(byte[] json) {
        try {
            return (ObjectNode) SourceJson.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        if (journal != null) {
            journal.close();
            journal = null;
        }
    }
}
