package io.qbosync.faults;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What to do when QBO refuses a string as too long (2050), per field: {@code truncate} (cut to QBO's maximum,
 * ending with a marker such as "…") or {@code fail}. Written as one line, e.g.
 * {@code PrivateNote=truncate,Line.Description=truncate,*=fail}: a key is QBO's {@code element} ({@code
 * Line.Description}, {@code PrimaryEmailAddr.Address}) or its last part ({@code Description}); {@code *} is every
 * other field (default {@code fail}).
 */
public final class FieldLengthPolicy {

    /** The two choices per field. */
    public enum Choice {
        TRUNCATE, FAIL
    }

    /** QBO's maximum and the supplied length from a 2050 detail ("Min:0 Max:4,000 supported. Supplied length:4,006"). */
    public record Limit(int max, Integer supplied) {
    }

    private static final Pattern MAX = Pattern.compile("Max\\s*:\\s*([0-9][0-9,.\\s]*)");
    private static final Pattern SUPPLIED = Pattern.compile("Supplied length\\s*:\\s*([0-9][0-9,.\\s]*)");

    private final Map<String, Choice> byField;
    private final Choice otherwise;

    private FieldLengthPolicy(Map<String, Choice> byField, Choice otherwise) {
        this.byField = byField;
        this.otherwise = otherwise;
    }

    /**
     * Parses {@code field=choice,…}.
     *
     * @throws IllegalArgumentException for an entry without {@code =} or a choice other than truncate/fail
     */
    public static FieldLengthPolicy parse(String spec) {
        Map<String, Choice> fields = new LinkedHashMap<>();
        Choice otherwise = Choice.FAIL;
        if (spec != null) {
            for (String entry : spec.split(",")) {
                if (entry.isBlank()) {
                    continue;
                }
                int eq = entry.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("'" + entry.trim() + "' is not field=truncate|fail");
                }
                String field = entry.substring(0, eq).trim();
                Choice choice = choice(entry.substring(eq + 1).trim(), entry.trim());
                if (field.equals("*")) {
                    otherwise = choice;
                } else {
                    fields.put(field.toLowerCase(Locale.ROOT), choice);
                }
            }
        }
        return new FieldLengthPolicy(fields, otherwise);
    }

    private static Choice choice(String value, String entry) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "truncate" -> Choice.TRUNCATE;
            case "fail" -> Choice.FAIL;
            default -> throw new IllegalArgumentException("'" + entry + "': the choice must be truncate or fail");
        };
    }

    /** The choice for QBO's element: exact match, then its last part, then {@code *}. */
    public Choice choiceFor(String element) {
        if (element == null || element.isBlank()) {
            return otherwise;
        }
        String key = element.toLowerCase(Locale.ROOT);
        Choice exact = byField.get(key);
        if (exact != null) {
            return exact;
        }
        Choice last = byField.get(key.substring(key.lastIndexOf('.') + 1));
        return last != null ? last : otherwise;
    }

    /** The maximum (and supplied length) QBO stated in a 2050 detail; numbers may carry separators. */
    public static Optional<Limit> limit(String detail) {
        if (detail == null) {
            return Optional.empty();
        }
        Matcher max = MAX.matcher(detail);
        if (!max.find()) {
            return Optional.empty();
        }
        Matcher supplied = SUPPLIED.matcher(detail);
        return Optional.of(new Limit(number(max.group(1)), supplied.find() ? number(supplied.group(1)) : null));
    }

    private static int number(String digits) {
        return Integer.parseInt(digits.replaceAll("[^0-9]", ""));
    }

    /**
     * {@code value} cut to {@code max} characters (Unicode code points, as QBO counts them), the last ones replaced
     * by {@code marker} so that a reader sees it was cut. Never splits a surrogate pair.
     */
    public static String truncate(String value, int max, String marker) {
        if (value.codePointCount(0, value.length()) <= max) {
            return value;
        }
        String mark = marker == null ? "" : marker;
        int markLength = mark.codePointCount(0, mark.length());
        if (markLength >= max) {
            mark = "";
            markLength = 0;
        }
        int end = value.offsetByCodePoints(0, max - markLength);
        return value.substring(0, end) + mark;
    }

    /**
     * Shortens every string at QBO's element path in {@code body} ({@code Line.Description} walks each line) that
     * is longer than {@code max}; when the path is not found, any field named like its last part. Returns how many
     * values were cut.
     */
    public static int truncateAt(ObjectNode body, String element, int max, String marker) {
        String[] path = element.split("\\.");
        int cut = cut(body, path, 0, max, marker);
        if (cut == 0) {
            cut = cutByName(body, path[path.length - 1], max, marker);
        }
        return cut;
    }

    private static int cut(JsonNode node, String[] path, int i, int max, String marker) {
        if (node == null) {
            return 0;
        }
        if (node.isArray()) {
            int n = 0;
            for (JsonNode el : node) {
                n += cut(el, path, i, max, marker);
            }
            return n;
        }
        if (!(node instanceof ObjectNode obj)) {
            return 0;
        }
        String field = fieldName(obj, path[i]);
        if (field == null) {
            return 0;
        }
        if (i < path.length - 1) {
            return cut(obj.get(field), path, i + 1, max, marker);
        }
        return cutValue(obj, field, max, marker);
    }

    private static int cutByName(JsonNode node, String name, int max, String marker) {
        int n = 0;
        if (node instanceof ObjectNode obj) {
            String field = fieldName(obj, name);
            if (field != null) {
                n += cutValue(obj, field, max, marker);
            }
            for (JsonNode child : obj) {
                n += cutByName(child, name, max, marker);
            }
        } else if (node != null && node.isArray()) {
            for (JsonNode el : node) {
                n += cutByName(el, name, max, marker);
            }
        }
        return n;
    }

    private static int cutValue(ObjectNode obj, String field, int max, String marker) {
        JsonNode v = obj.get(field);
        if (v == null || !v.isTextual() || v.asText().codePointCount(0, v.asText().length()) <= max) {
            return 0;
        }
        obj.put(field, truncate(v.asText(), max, marker));
        return 1;
    }

    /** QBO treats names case-insensitively; find the body's own spelling of a field. */
    private static String fieldName(ObjectNode obj, String wanted) {
        if (obj.has(wanted)) {
            return wanted;
        }
        for (var it = obj.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (f.equalsIgnoreCase(wanted)) {
                return f;
            }
        }
        return null;
    }
}
