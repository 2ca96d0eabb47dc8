package io.qbosync.component.qbo.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qbosync.component.qbo.QboError;
import io.qbosync.component.qbo.QboFaultException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a QBO error reply into a {@link QboFaultException}. QBO answers faults in several shapes and all of them
 * are read here: the JSON {@code Fault/Error} envelope, the lower-case {@code fault/error} gateway envelope
 * (401/403/429), XML {@code IntuitResponse/Fault} and HTML pages from the edge (502/503/504), plus empty bodies.
 */
public final class QboFaultParser {

    private static final int MAX_TEXT = 300;
    private static final Pattern TITLE = Pattern.compile("(?is)<title[^>]*>(.*?)</title>");
    private static final Pattern H1 = Pattern.compile("(?is)<h1[^>]*>(.*?)</h1>");
    private static final Pattern TAGS = Pattern.compile("(?s)<script.*?</script>|<style.*?</style>|<[^>]+>");

    private final ObjectMapper mapper;

    /** @param mapper the client's shared mapper */
    public QboFaultParser(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The fault type and errors read from a reply body. */
    public record ParsedFault(String faultType, List<QboError> errors) {
    }

    /**
     * Builds the exception for an HTTP error reply.
     *
     * @param status    HTTP status
     * @param headers   response headers ({@code intuit_tid}, {@code Retry-After})
     * @param body      raw body, may be empty
     * @param ambiguous whether a write may have been executed
     * @param realmId   company of the request
     * @param requestId {@code requestid} sent, may be null
     */
    public QboFaultException toException(int status, HttpHeaders headers, byte[] body, boolean ambiguous,
                                         String realmId, String requestId) {
        ParsedFault parsed = parse(status, body);
        return new QboFaultException(status, parsed.faultType(), parsed.errors(), intuitTid(headers),
                retryAfter(headers).orElse(null), ambiguous, realmId, requestId, null);
    }

    /** Reads Intuit's transaction id header, or null. */
    public static String intuitTid(HttpHeaders headers) {
        return headers == null ? null : headers.firstValue("intuit_tid").orElse(null);
    }

    /** Reads {@code Retry-After} as delta-seconds or an HTTP date. */
    public static java.util.Optional<Duration> retryAfter(HttpHeaders headers) {
        if (headers == null) {
            return java.util.Optional.empty();
        }
        return headers.firstValue("Retry-After").map(String::trim).flatMap(v -> {
            try {
                return java.util.Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
            } catch (NumberFormatException notSeconds) {
                try {
                    ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                    Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                    return java.util.Optional.of(d.isNegative() ? Duration.ZERO : d);
                } catch (RuntimeException unreadable) {
                    return java.util.Optional.empty();
                }
            }
        });
    }

    /** Parses any reply body into a fault type and error list; never throws. */
    public ParsedFault parse(int status, byte[] body) {
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return new ParsedFault(null, List.of(new QboError(null, "HTTP " + status + " with an empty body", null, null)));
        }
        char first = trimmed.charAt(0);
        if (first == '{' || first == '[') {
            try {
                ParsedFault json = fromJson(mapper.readTree(trimmed));
                if (json != null) {
                    return json;
                }
            } catch (Exception notJson) {
                // fall through to plain text
            }
        } else if (first == '<') {
            String head = trimmed.substring(0, Math.min(trimmed.length(), 512)).toLowerCase(Locale.ROOT);
            if (head.contains("<html") || head.contains("<!doctype html")) {
                return fromHtml(status, trimmed);
            }
            ParsedFault xml = fromXml(trimmed);
            if (xml != null) {
                return xml;
            }
        }
        return new ParsedFault(null, List.of(new QboError(null, "HTTP " + status, shorten(trimmed), null)));
    }

    /**
     * Reads a JSON node holding a fault: the whole reply, or a batch item. Returns null when the node carries no
     * fault (nor an OAuth-style {@code error}).
     */
    public ParsedFault fromJson(JsonNode root) {
        if (root == null || !root.isObject()) {
            return null;
        }
        JsonNode fault = field(root, "fault");
        if (fault != null && fault.isObject()) {
            List<QboError> errors = new ArrayList<>();
            JsonNode list = field(fault, "error");
            if (list != null && list.isArray()) {
                list.forEach(e -> errors.add(errorOf(e)));
            } else if (list != null && list.isObject()) {
                errors.add(errorOf(list));
            }
            return new ParsedFault(textOf(field(fault, "type")), errors);
        }
        JsonNode error = field(root, "error");
        if (error != null && error.isTextual()) {
            // OAuth style: {"error":"invalid_token","error_description":"…"}
            return new ParsedFault("OAUTH", List.of(new QboError(error.asText(),
                    textOf(field(root, "error_description")), null, null)));
        }
        return null;
    }

    private static QboError errorOf(JsonNode e) {
        return new QboError(textOf(field(e, "code")), textOf(field(e, "message")), textOf(field(e, "detail")),
                textOf(field(e, "element")));
    }

    private ParsedFault fromXml(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            // No DTDs or external entities: the body comes from the network.
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            Document doc = b.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            Element fault = firstDescendant(doc.getDocumentElement(), "Fault");
            if (fault == null) {
                return null;
            }
            List<QboError> errors = new ArrayList<>();
            NodeList children = fault.getChildNodes();
            for (int i = 0; i < children.getLength(); i++) {
                Node n = children.item(i);
                if (n instanceof Element e && "Error".equalsIgnoreCase(localName(e))) {
                    errors.add(new QboError(attr(e, "code"), childText(e, "Message"), childText(e, "Detail"),
                            attr(e, "element")));
                }
            }
            return new ParsedFault(attr(fault, "type"), errors);
        } catch (Exception unreadable) {
            return null;
        }
    }

    private static ParsedFault fromHtml(int status, String html) {
        String title = firstMatch(TITLE, html);
        if (title == null || title.isBlank()) {
            title = firstMatch(H1, html);
        }
        String message = title == null || title.isBlank() ? "HTTP " + status + " (HTML page)" : clean(title);
        String detail = shorten(clean(TAGS.matcher(html).replaceAll(" ")));
        return new ParsedFault("HTML", List.of(new QboError(null, message, detail, null)));
    }

    private static String firstMatch(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? m.group(1) : null;
    }

    private static String clean(String s) {
        return s.replaceAll("<[^>]+>", " ").replace("&nbsp;", " ").replace("&amp;", "&")
                .replaceAll("\\s+", " ").strip();
    }

    private static String shorten(String s) {
        return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT) + "…";
    }

    /** Case-insensitive field lookup: QBO uses {@code Fault/Error/Message} and {@code fault/error/message}. */
    static JsonNode field(JsonNode node, String name) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode exact = node.get(name);
        if (exact != null) {
            return exact;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static String textOf(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private static Element firstDescendant(Element root, String name) {
        if (name.equalsIgnoreCase(localName(root))) {
            return root;
        }
        NodeList all = root.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < all.getLength(); i++) {
            if (all.item(i) instanceof Element e && name.equalsIgnoreCase(localName(e))) {
                return e;
            }
        }
        return null;
    }

    private static String localName(Element e) {
        return e.getLocalName() != null ? e.getLocalName() : e.getTagName();
    }

    private static String attr(Element e, String name) {
        return e.hasAttribute(name) ? e.getAttribute(name) : null;
    }

    private static String childText(Element e, String name) {
        NodeList children = e.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element c && name.equalsIgnoreCase(localName(c))) {
                return c.getTextContent();
            }
        }
        return null;
    }
}
