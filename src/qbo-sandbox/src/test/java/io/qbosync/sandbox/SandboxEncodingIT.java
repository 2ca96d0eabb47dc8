package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Compressed bodies and XML over real HTTP (java.net.http, which neither compresses nor decompresses itself). */
class SandboxEncodingIT extends RunningSandbox {
    static final String NS = "http://schema.intuit.com/finance/v3";
    SandboxClient.Realm realm;

    @BeforeEach
    void newRealm() {
        realm = client.createRealm("Encoding");
    }

    // ---- compression ----

    @Test
    void gzipRequestBodyIsAccepted() {
        HttpResponse<byte[]> r = send(api("/customer").header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip").POST(bytes(gzip("{\"DisplayName\":\"Zipped Ltd\"}"))));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("Customer").path("DisplayName").asText()).isEqualTo("Zipped Ltd");
        assertThat(client.query(realm, "select * from Customer where DisplayName = 'Zipped Ltd'").json()
                .path("QueryResponse").path("Customer")).hasSize(1);
    }

    @Test
    void deflateRequestBodyIsAccepted() {
        HttpResponse<byte[]> r = send(api("/customer").header("Content-Type", "application/json")
                .header("Content-Encoding", "deflate").POST(bytes(deflate("{\"DisplayName\":\"Deflated Ltd\"}"))));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("Customer").path("DisplayName").asText()).isEqualTo("Deflated Ltd");
    }

    @Test
    void gzipQueryBodyIsAccepted() {
        client.create(realm, "Customer", "{\"DisplayName\":\"Query Me\"}");
        HttpResponse<byte[]> r = send(api("/query").header("Content-Type", "application/text")
                .header("Content-Encoding", "gzip")
                .POST(bytes(gzip("select * from Customer where DisplayName = 'Query Me'"))));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("QueryResponse").path("Customer")).hasSize(1);
    }

    @Test
    void answersAreGzippedOnlyWhenTheClientAcceptsGzip() throws IOException {
        String id = client.create(realm, "Customer", "{\"DisplayName\":\"Reader\"}").get("Id").asText();
        HttpResponse<byte[]> zipped = send(api("/customer/" + id).header("Accept-Encoding", "deflate, gzip;q=0.8").GET());
        assertThat(zipped.statusCode()).isEqualTo(200);
        assertThat(zipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        String text = new String(new GZIPInputStream(new ByteArrayInputStream(zipped.body())).readAllBytes(),
                StandardCharsets.UTF_8);
        assertThat(SandboxClient.MAPPER.readTree(text).path("Customer").path("DisplayName").asText()).isEqualTo("Reader");

        HttpResponse<byte[]> plain = send(api("/customer/" + id).GET());
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(json(plain).path("Customer").path("Id").asText()).isEqualTo(id);

        HttpResponse<byte[]> refused = send(api("/customer/" + id).header("Accept-Encoding", "gzip;q=0").GET());
        assertThat(refused.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(json(refused).path("Customer").path("Id").asText()).isEqualTo(id);
    }

    @Test
    void faultsAndAdminAnswersAreGzippedToo() throws IOException {
        HttpResponse<byte[]> fault = send(api("/customer").header("Content-Type", "application/json")
                .header("Accept-Encoding", "gzip").POST(bytes("{}".getBytes(StandardCharsets.UTF_8))));
        assertThat(fault.statusCode()).isEqualTo(400);
        assertThat(fault.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(SandboxClient.MAPPER.readTree(new GZIPInputStream(new ByteArrayInputStream(fault.body())))
                .path("Fault").path("Error").path(0).path("code").asText()).isEqualTo("2020");

        HttpResponse<byte[]> health = send(HttpRequest.newBuilder(URI.create(client.base + "/sandbox/health"))
                .header("Accept-Encoding", "gzip").GET());
        assertThat(health.headers().firstValue("Content-Encoding")).hasValue("gzip");
    }

    @Test
    void corruptOrUnknownEncodingsAreFaults() {
        HttpResponse<byte[]> corrupt = send(api("/customer").header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip").POST(bytes("{\"DisplayName\":\"x\"}".getBytes(StandardCharsets.UTF_8))));
        assertThat(corrupt.statusCode()).isEqualTo(400);
        assertThat(json(corrupt).path("Fault").path("Error").path(0).path("code").asText()).isEqualTo("500");

        HttpResponse<byte[]> brotli = send(api("/customer").header("Content-Type", "application/json")
                .header("Content-Encoding", "br").POST(bytes("{}".getBytes(StandardCharsets.UTF_8))));
        assertThat(brotli.statusCode()).isEqualTo(400);
        assertThat(json(brotli).path("Fault").path("Error").path(0).path("Detail").asText()).contains("br");
    }

    // ---- XML ----

    @Test
    void xmlCreateReadAndReference() {
        HttpResponse<byte[]> created = send(api("/customer").header("Content-Type", "application/xml")
                .header("Accept", "application/xml").POST(bytes(utf8("<Customer xmlns=\"" + NS + "\">"
                        + "<DisplayName>Amy &amp; Co</DisplayName><Active>true</Active>"
                        + "<BillAddr><Line1>1 Main St</Line1><PostalCode>04326</PostalCode></BillAddr></Customer>"))));
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/xml");
        Element root = xml(created).getDocumentElement();
        assertThat(root.getLocalName()).isEqualTo("IntuitResponse");
        assertThat(root.getNamespaceURI()).isEqualTo(NS);
        assertThat(root.getAttribute("time")).matches(".*T.*[-+]\\d\\d:\\d\\d");
        Element customer = child(root, "Customer");
        String id = text(customer, "Id");
        assertThat(text(customer, "SyncToken")).isEqualTo("0");
        assertThat(text(customer, "DisplayName")).isEqualTo("Amy & Co");
        assertThat(text(child(customer, "BillAddr"), "PostalCode")).isEqualTo("04326");
        assertThat(text(child(customer, "MetaData"), "CreateTime")).isNotBlank();

        JsonNode stored = client.read(realm, "Customer", id);   // the same record as JSON, with JSON types
        assertThat(stored.path("Active").isBoolean()).isTrue();
        assertThat(stored.path("BillAddr").path("PostalCode").asText()).isEqualTo("04326");

        HttpResponse<byte[]> invoice = send(api("/invoice").header("Content-Type", "text/xml")
                .header("Accept", "application/xml").POST(bytes(utf8("<Invoice xmlns=\"" + NS + "\">"
                        + "<Line><Amount>30.00</Amount><DetailType>SalesItemLineDetail</DetailType>"
                        + "<SalesItemLineDetail><Qty>3</Qty><UnitPrice>10</UnitPrice></SalesItemLineDetail></Line>"
                        + "<CustomerRef>" + id + "</CustomerRef></Invoice>"))));
        assertThat(invoice.statusCode()).isEqualTo(200);
        Element inv = child(xml(invoice).getDocumentElement(), "Invoice");
        Element ref = child(inv, "CustomerRef");
        assertThat(ref.getTextContent()).isEqualTo(id);
        assertThat(ref.getAttribute("name")).isEqualTo("Amy & Co");
        assertThat(text(inv, "TotalAmt")).isEqualTo("30.00");
        assertThat(inv.getElementsByTagNameNS(NS, "Line").getLength()).isEqualTo(2);   // + SubTotalLineDetail
    }

    @Test
    void xmlFaultEnvelope() {
        client.create(realm, "Vendor", "{\"DisplayName\":\"Taken\"}");
        HttpResponse<byte[]> r = send(api("/customer").header("Content-Type", "application/xml")
                .header("Accept", "application/xml")
                .POST(bytes(utf8("<Customer xmlns=\"" + NS + "\"><DisplayName>Taken</DisplayName></Customer>"))));
        assertThat(r.statusCode()).isEqualTo(400);
        Element fault = child(xml(r).getDocumentElement(), "Fault");
        assertThat(fault.getAttribute("type")).isEqualTo("ValidationFault");
        Element error = child(fault, "Error");
        assertThat(error.getAttribute("code")).isEqualTo("6240");
        assertThat(text(error, "Message")).isEqualTo("Duplicate Name Exists Error");
        assertThat(text(error, "Detail")).startsWith("The name supplied already exists. : Id=");
    }

    @Test
    void xmlQueryResponseCarriesPagingAttributes() {
        client.create(realm, "Customer", "{\"DisplayName\":\"Q1\"}");
        client.create(realm, "Customer", "{\"DisplayName\":\"Q2\"}");
        HttpResponse<byte[]> r = send(api("/query?query=" + URLEncoder.encode(
                "select * from Customer maxresults 1", StandardCharsets.UTF_8)).header("Accept", "application/xml").GET());
        Element qr = child(xml(r).getDocumentElement(), "QueryResponse");
        assertThat(qr.getAttribute("startPosition")).isEqualTo("1");
        assertThat(qr.getAttribute("maxResults")).isEqualTo("1");
        assertThat(qr.getElementsByTagNameNS(NS, "Customer").getLength()).isEqualTo(1);

        HttpResponse<byte[]> count = send(api("/query?query=" + URLEncoder.encode(
                "select count(*) from Customer", StandardCharsets.UTF_8)).header("Accept", "text/xml").GET());
        assertThat(child(xml(count).getDocumentElement(), "QueryResponse").getAttribute("totalCount")).isEqualTo("2");
    }

    @Test
    void requestAndAnswerFormatsAreNegotiatedIndependently() {
        HttpResponse<byte[]> xmlIn = send(api("/customer").header("Content-Type", "application/xml")
                .header("Accept", "application/json")
                .POST(bytes(utf8("<Customer xmlns=\"" + NS + "\"><DisplayName>Mixed</DisplayName></Customer>"))));
        assertThat(xmlIn.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(json(xmlIn).path("Customer").path("DisplayName").asText()).isEqualTo("Mixed");

        HttpResponse<byte[]> jsonIn = send(api("/customer").header("Content-Type", "application/json")
                .header("Accept", "application/xml").POST(bytes(utf8("{\"DisplayName\":\"Mixed 2\"}"))));
        assertThat(text(child(xml(jsonIn).getDocumentElement(), "Customer"), "DisplayName")).isEqualTo("Mixed 2");

        HttpResponse<byte[]> jsonFirst = send(api("/customer/1").header("Accept", "application/json, application/xml").GET());
        assertThat(jsonFirst.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
    }

    @Test
    void malformedXmlAndXmlAuthFaults() {
        HttpResponse<byte[]> bad = send(api("/customer").header("Content-Type", "application/xml")
                .POST(bytes(utf8("<Customer><DisplayName>open</Customer>"))));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).path("Fault").path("Error").path(0).path("code").asText()).isEqualTo("500");

        HttpResponse<byte[]> unauthorized = send(HttpRequest.newBuilder(URI.create(
                client.base + "/v3/company/" + realm.id() + "/customer/1")).header("Accept", "application/xml").GET());
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        Element fault = child(xml(unauthorized).getDocumentElement(), "Fault");
        assertThat(fault.getAttribute("type")).isEqualTo("AUTHENTICATION");
        assertThat(child(fault, "Error").getAttribute("code")).isEqualTo("3200");
    }

    @Test
    void xmlBatchCdcAndReplay() {
        HttpResponse<byte[]> batch = send(api("/batch?requestid=xb-1").header("Content-Type", "application/xml")
                .header("Accept", "application/xml").POST(bytes(utf8("<IntuitBatchRequest xmlns=\"" + NS + "\">"
                        + "<BatchItemRequest bId=\"c1\" operation=\"create\"><Customer><DisplayName>Batched</DisplayName>"
                        + "</Customer></BatchItemRequest><BatchItemRequest bId=\"q1\"><Query>select * from Customer"
                        + "</Query></BatchItemRequest></IntuitBatchRequest>"))));
        assertThat(batch.statusCode()).isEqualTo(200);
        Element root = xml(batch).getDocumentElement();
        Element first = child(root, "BatchItemResponse");
        assertThat(first.getAttribute("bId")).isEqualTo("c1");
        assertThat(text(child(first, "Customer"), "DisplayName")).isEqualTo("Batched");
        assertThat(root.getElementsByTagNameNS(NS, "BatchItemResponse").getLength()).isEqualTo(2);

        // The replay is the logged answer, rendered in the format this request asks for.
        HttpResponse<byte[]> replayJson = send(api("/batch?requestid=xb-1").header("Content-Type", "application/json")
                .POST(bytes(utf8("{\"BatchItemRequest\":[{\"bId\":\"c1\",\"operation\":\"create\","
                        + "\"Customer\":{\"DisplayName\":\"Batched\"}},{\"bId\":\"q1\",\"Query\":\"select * from Customer\"}]}"))));
        assertThat(json(replayJson).at("/BatchItemResponse/0/Customer/DisplayName").asText()).isEqualTo("Batched");
        assertThat(json(replayJson).at("/BatchItemResponse/1/QueryResponse/Customer")).as("not run again").hasSize(1);

        HttpResponse<byte[]> cdc = send(api("/cdc?entities=Customer&changedSince=" + URLEncoder.encode(
                Instant.now().minusSeconds(3600).toString(), StandardCharsets.UTF_8))
                .header("Accept", "application/xml").GET());
        Element qr = child(child(xml(cdc).getDocumentElement(), "CDCResponse"), "QueryResponse");
        assertThat(text(child(qr, "Customer"), "DisplayName")).isEqualTo("Batched");
    }

    /** Intuit's SDK reaches a sandbox on a non-default port only as its proxy: absolute-URI requests must work. */
    @Test
    void absoluteUriRequestsAsSentToAProxyAreServed() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", sandbox.port())) {
            socket.getOutputStream().write(utf8("GET http://127.0.0.1/v3/company/" + realm.id()
                    + "/companyinfo/" + realm.id() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + realm.accessToken() + "\r\nAccept: application/json\r\nConnection: close\r\n\r\n"));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 200").contains("\"CompanyInfo\"");
        }
    }

    // ---- helpers ----

    private HttpRequest.Builder api(String path) {
        return HttpRequest.newBuilder(URI.create(client.base + "/v3/company/" + realm.id() + path))
                .header("Authorization", "Bearer " + realm.accessToken());
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder b) {
        try {
            return client.http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpRequest.BodyPublisher bytes(byte[] b) {
        return HttpRequest.BodyPublishers.ofByteArray(b);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(String s) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(buf)) {
            out.write(utf8(s));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    private static byte[] deflate(String s) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(buf)) {
            out.write(utf8(s));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    private static JsonNode json(HttpResponse<byte[]> r) {
        try {
            return SandboxClient.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + new String(r.body(), StandardCharsets.UTF_8), e);
        }
    }

    private static Document xml(HttpResponse<byte[]> r) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            return f.newDocumentBuilder().parse(new ByteArrayInputStream(r.body()));
        } catch (Exception e) {
            throw new IllegalStateException("not XML: " + new String(r.body(), StandardCharsets.UTF_8), e);
        }
    }

    /** The first child element in QBO's namespace with that local name (fails when absent). */
    private static Element child(Element parent, String name) {
        for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && NS.equals(e.getNamespaceURI()) && name.equals(e.getLocalName())) {
                return e;
            }
        }
        throw new AssertionError("no <" + name + "> in <" + parent.getLocalName() + ">");
    }

    private static String text(Element parent, String name) {
        return child(parent, name).getTextContent();
    }
}
