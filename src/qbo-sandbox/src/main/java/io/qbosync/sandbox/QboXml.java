package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * QBO's XML dialect mapped onto the JSON trees the sandbox stores, in both directions, without a schema.
 * QBO's XSD and its JSON use the same names, so the mapping follows three conventions of that schema (checked
 * against the JAXB classes of Intuit's Java SDK, package {@code com.intuit.ipp.data}): lower-case names
 * ({@code time}, {@code domain}, {@code status}, {@code sparse}, a reference's {@code name}/{@code type}, an
 * error's {@code code}/{@code element}, {@code startPosition}…) are XML attributes; a JSON {@code value} is the
 * element's text ({@code <CustomerRef name="Amy">58</CustomerRef>}); arrays are repeated elements. Everything
 * is in the namespace {@code http://schema.intuit.com/finance/v3}; answers are wrapped in {@code IntuitResponse}.
 *
 * <p>XML text carries no types, so reading needs a little knowledge: the names below that are always arrays,
 * numbers or references in QBO's schema. Other numeric-looking text stays a string (Id, DocNumber, PostalCode
 * keep their leading zeros); {@code true}/{@code false} become booleans.
 */
final class QboXml {
    static final String NAMESPACE = "http://schema.intuit.com/finance/v3";
    static final String CONTENT_TYPE = "application/xml;charset=UTF-8";

    /** Elements that are lists in QBO's schema, so that a single occurrence still reads as a JSON array. */
    private static final Set<String> ARRAYS = Set.of("Line", "LinkedTxn", "CustomField", "TaxLine",
            "AttachableRef", "BatchItemRequest", "BatchItemResponse", "Error", "CDCResponse", "OtherAddr",
            "OtherContactInfo");

    /** Decimal and integer elements/attributes of the modelled entities (money, quantities, counters). */
    private static final Set<String> NUMBERS = Set.of("Amount", "Qty", "UnitPrice", "TotalAmt", "Balance",
            "BalanceWithJobs", "OpenBalance", "HomeTotalAmt", "HomeBalance", "UnappliedAmt", "CurrentBalance",
            "TotalTax", "DiscountPercent", "DiscountAmt", "QtyOnHand", "ReorderPoint", "PurchaseCost",
            "ExchangeRate", "LineNum", "Level", "TaxPercent", "NetAmountTaxable", "TaxableAmount", "RatePercent",
            "BillRate", "CostRate", "Received", "TaxInclusiveAmt", "MarkupPercent", "Deposit",
            "startPosition", "maxResults", "totalCount");

    private QboXml() {
    }

    /** Thrown for text that is not well-formed XML (or uses a DOCTYPE, which the sandbox refuses). */
    static final class MalformedXml extends Exception {
        MalformedXml(String message) {
            super(message, null, false, false);
        }
    }

    // ---- JSON -> XML ----

    /** An answer envelope ({@code {"Customer":{…},"time":…}}) as an {@code IntuitResponse} document. */
    static String response(ObjectNode envelope) {
        StringBuilder out = new StringBuilder(512);
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>");
        element(out, "IntuitResponse", envelope, true);
        return out.toString();
    }

    private static void write(StringBuilder out, String name, JsonNode node) {
        if (node == null || node.isNull() || !isXmlName(name)) {
            return;
        }
        if (node.isArray()) {
            for (JsonNode item : node) {
                write(out, name, item);
            }
        } else if (node.isObject()) {
            element(out, name, (ObjectNode) node, false);
        } else {
            out.append('<').append(name).append('>');
            escape(out, scalar(node), false);
            out.append("</").append(name).append('>');
        }
    }

    private static void element(StringBuilder out, String name, ObjectNode node, boolean root) {
        out.append('<').append(name);
        if (root) {
            out.append(" xmlns=\"").append(NAMESPACE).append('"');
        }
        JsonNode text = null;
        List<Map.Entry<String, JsonNode>> children = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            if (f.getKey().equals("value") && v.isValueNode()) {
                text = v;
            } else if (isAttribute(f.getKey()) && v.isValueNode()) {
                if (!v.isNull() && isXmlName(f.getKey())) {
                    out.append(' ').append(f.getKey()).append("=\"");
                    escape(out, scalar(v), true);
                    out.append('"');
                }
            } else {
                children.add(f);
            }
        }
        if (children.isEmpty() && (text == null || text.isNull())) {
            out.append("/>");
            return;
        }
        out.append('>');
        if (text != null && !text.isNull()) {
            escape(out, scalar(text), false);
        }
        for (Map.Entry<String, JsonNode> c : children) {
            write(out, c.getKey(), c.getValue());
        }
        out.append("</").append(name).append('>');
    }

    private static boolean isAttribute(String key) {
        return !key.isEmpty() && Character.isLowerCase(key.charAt(0));
    }

    private static String scalar(JsonNode v) {
        // DecimalNode.asText() may use exponent notation (1E+3); XML schema decimals must not.
        return v.isNumber() ? v.decimalValue().toPlainString() : v.asText();
    }

    /** Keys stored as sent (unknown properties) may not be XML names; they are left out of XML answers. */
    private static boolean isXmlName(String name) {
        if (name.isEmpty() || !(Character.isLetter(name.charAt(0)) || name.charAt(0) == '_')) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    private static void escape(StringBuilder out, String s, boolean attribute) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append(attribute ? "&quot;" : "\"");
                case '\n', '\t', '\r' -> out.append(attribute ? "&#" + (int) c + ";" : String.valueOf(c));
                default -> {
                    // Control characters are not allowed in XML 1.0 at all; dropping them keeps the document parsable.
                    if (c >= 0x20 && c != 0xFFFE && c != 0xFFFF) {
                        out.append(c);
                    }
                }
            }
        }
    }

    // ---- XML -> JSON ----

    /**
     * A request body: the root element's attributes and children as a JSON object (the root's own name — the
     * entity, {@code IntuitBatchRequest} — is dropped, as the JSON body has no wrapper either).
     */
    static ObjectNode request(String xml) throws MalformedXml {
        Element root = parse(xml).getDocumentElement();
        JsonNode node = read(root, true);
        return node instanceof ObjectNode o ? o : Json.object();
    }

    private static Document parse(String xml) throws MalformedXml {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b.parse(new InputSource(new StringReader(xml)));
        } catch (SAXException e) {
            throw new MalformedXml(e.getMessage());
        } catch (ParserConfigurationException | IOException e) {
            throw new IllegalStateException("XML parser unavailable", e);
        }
    }

    private static JsonNode read(Element e, boolean root) {
        String name = e.getLocalName() == null ? e.getTagName() : e.getLocalName();
        Map<String, List<Element>> children = new LinkedHashMap<>();
        StringBuilder text = new StringBuilder();
        NodeList nodes = e.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element c) {
                children.computeIfAbsent(c.getLocalName() == null ? c.getTagName() : c.getLocalName(),
                        k -> new ArrayList<>()).add(c);
            } else if (n.getNodeType() == Node.TEXT_NODE || n.getNodeType() == Node.CDATA_SECTION_NODE) {
                text.append(n.getNodeValue());
            }
        }
        ObjectNode attrs = attributes(e);
        boolean simpleContent = children.isEmpty();
        if (simpleContent && !root && attrs.isEmpty() && !isReference(name)) {
            if (text.isEmpty() && name.endsWith("Detail")) {
                return Json.object();   // <DescriptionLineDetail/>: a line detail is an object even when empty
            }
            return typed(name, text.toString());
        }
        ObjectNode out = attrs;
        if (simpleContent && !root) {
            out.put("value", text.toString());
            return out;
        }
        for (Map.Entry<String, List<Element>> c : children.entrySet()) {
            List<Element> list = c.getValue();
            if (list.size() > 1 || ARRAYS.contains(c.getKey()) || (name.equals("QueryResponse") && !root)) {
                ArrayNode arr = out.putArray(c.getKey());
                for (Element item : list) {
                    arr.add(read(item, false));
                }
            } else {
                out.set(c.getKey(), read(list.get(0), false));
            }
        }
        return out;
    }

    private static ObjectNode attributes(Element e) {
        ObjectNode out = Json.object();
        NamedNodeMap attrs = e.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
            Attr a = (Attr) attrs.item(i);
            String name = a.getLocalName() == null ? a.getName() : a.getLocalName();
            if (XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(a.getNamespaceURI()) || name.equals("xmlns")
                    || XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI.equals(a.getNamespaceURI())) {
                continue;
            }
            out.set(name, typed(name, a.getValue()));
        }
        return out;
    }

    /** {@code *Ref} elements and the invoice's {@code CustomerMemo} are reference types: {@code {"value": …}}. */
    private static boolean isReference(String name) {
        return name.endsWith("Ref") || name.equals("CustomerMemo");
    }

    private static JsonNode typed(String name, String text) {
        String t = text.trim();
        if (t.equals("true") || t.equals("false")) {
            return Json.NODES.booleanNode(t.equals("true"));
        }
        if (NUMBERS.contains(name)) {
            try {
                return Json.NODES.numberNode(new BigDecimal(t));
            } catch (NumberFormatException e) {
                return Json.NODES.textNode(text);   // left to the entity rules to refuse, as JSON text would be
            }
        }
        return Json.NODES.textNode(text);
    }
}
