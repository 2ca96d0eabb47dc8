package io.qbosync.demo.bench;

import io.qbosync.source.sample.MalformedCorpus;
import io.qbosync.source.sample.MalformedRecord;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads what a sync store says about each record of a {@link MalformedCorpus}, for bench/fuzz.sh: run it on the H2
 * file of a stopped app (the API has counts, not per-record errors). A record counts as specific when its row is
 * FAILED with the expected code and a message containing every expected fragment (record, field, problem).
 *
 * <p>{@code MalformedStoreReport --store=jdbc:h2:file:/data/sync-store --seed=42 --size=1000} prints one line
 * {@code bad=… rows=… specific_errors=… distinct_messages=… distinct_problem_texts=… missing=… other=…} and, on
 * stderr, the first records that did not get their specific error.
 */
public final class MalformedStoreReport {

    /** A row as stored; null fields when the record has no row. */
    public record Stored(String status, String faultCode, String faultMessage) {
    }

    /** The figures for one corpus against one store. */
    public record Figures(int bad, int rows, int specific, int distinctMessages, int distinctProblemTexts, int missing,
            List<String> notSpecific) {

        public String line() {
            return "bad=" + bad + " rows=" + rows + " specific_errors=" + specific + " distinct_messages=" + distinctMessages
                    + " distinct_problem_texts=" + distinctProblemTexts + " missing=" + missing
                    + " other=" + (bad - specific - missing);
        }
    }

    /** Looks up a stored row by the sync store's entity type and source id. */
    @FunctionalInterface
    public interface Lookup {
        Stored find(String entityType, String sourceId) throws SQLException;
    }

    private MalformedStoreReport() {
    }

    /** Judges every corpus record against what {@code store} holds for it. */
    public static Figures evaluate(List<MalformedRecord> corpus, Lookup store) throws SQLException {
        int specific = 0;
        int missing = 0;
        Set<String> rows = new HashSet<>();
        Set<String> messages = new HashSet<>();
        Set<String> problemTexts = new HashSet<>();
        List<String> notSpecific = new ArrayList<>();
        for (MalformedRecord r : corpus) {
            rows.add(r.storeEntityType() + ":" + r.storeSourceId());
            Stored s = store.find(r.storeEntityType(), r.storeSourceId());
            if (s == null) {
                missing++;
                notSpecific.add(r + ": no sync record");
            } else if (r.isSpecific(s.status(), s.faultCode(), s.faultMessage())) {
                specific++;
                messages.add(s.faultMessage());
                problemTexts.add(withoutRecordName(s.faultMessage()));
            } else {
                notSpecific.add(r + ": stored " + s.status() + " " + s.faultCode() + " " + s.faultMessage());
            }
        }
        return new Figures(corpus.size(), rows.size(), specific, messages.size(), problemTexts.size(), missing, notSpecific);
    }

    /** The message with each part's record name ({@code invoice GU-1: }, {@code Invoice I-1 }) taken out. */
    static String withoutRecordName(String message) {
        StringBuilder b = new StringBuilder();
        for (String part : message.split("; ")) {
            int colon = part.indexOf(": ");
            b.append(colon >= 0 ? part.substring(colon + 2) : part.replaceFirst("^(Invoice|Payment) \\S+ ", "")).append("; ");
        }
        return b.toString();
    }

    /** Judges a corpus against the sync store behind a JDBC URL (one realm: the fuzz runs use a fresh store). */
    public static Figures evaluate(List<MalformedRecord> corpus, String jdbcUrl, String user, String password) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
             PreparedStatement q = c.prepareStatement("SELECT status, fault_code, fault_message FROM sync_record"
                     + " WHERE entity_type = ? AND source_id = ?")) {
            return evaluate(corpus, (type, sourceId) -> {
                q.setString(1, type);
                q.setString(2, sourceId);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? new Stored(rs.getString(1), rs.getString(2), rs.getString(3)) : null;
                }
            });
        }
    }

    public static void main(String[] args) throws Exception {
        String url = null;
        String user = "sa";
        String password = "";
        long seed = 42;
        int size = 1000;
        for (String a : args) {
            if (a.startsWith("--store=")) {
                url = a.substring(8);
            } else if (a.startsWith("--user=")) {
                user = a.substring(7);
            } else if (a.startsWith("--password=")) {
                password = a.substring(11);
            } else if (a.startsWith("--seed=")) {
                seed = Long.parseLong(a.substring(7));
            } else if (a.startsWith("--size=")) {
                size = Integer.parseInt(a.substring(7));
            } else {
                url = null;
                break;
            }
        }
        if (url == null) {
            System.err.println("usage: MalformedStoreReport --store=<jdbc url> [--user=sa] [--password=] [--seed=42] [--size=1000]");
            System.exit(2);
        }
        Figures f = evaluate(new MalformedCorpus(seed, size).records(), url, user, password);
        f.notSpecific().stream().limit(10).forEach(s -> System.err.println("not specific: " + (s.length() > 400 ? s.substring(0, 400) + "…" : s)));
        System.out.println(f.line());
    }
}
