package io.qbosync.component.qbo;

import io.qbosync.component.qbo.client.QboFaultParser;
import io.qbosync.component.qbo.client.QboJson;
import org.junit.jupiter.api.Test;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Fault bodies in every shape QBO uses: JSON (both casings), XML, HTML, empty. */
class QboFaultParsingTest {

    private final QboFaultParser parser = new QboFaultParser(QboJson.newMapper());

    private static HttpHeaders headers(Map<String, List<String>> map) {
        return HttpHeaders.of(map, (a, b) -> true);
    }

    private QboFaultException parse(int status, String body) {
        return parser.toException(status, headers(Map.of("intuit_tid", List.of("1-abc"))),
                body.getBytes(StandardCharsets.UTF_8), false, "9130", "req-1");
    }

    private static String fault(String code, String message, String detail, String element) {
        return """
                {"Fault":{"Error":[{"Message":"%s","Detail":"%s","code":"%s","element":"%s"}],
                 "type":"ValidationFault"},"time":"2026-03-02T10:21:07.311-08:00"}""".formatted(message, detail, code, element);
    }

    @Test
    void duplicateNameCarriesTheExistingId() {
        QboFaultException f = parse(400, fault("6240", "Duplicate Name Exists Error",
                "The name supplied already exists. : Id=58", ""));
        assertThat(f.code()).isEqualTo("6240");
        assertThat(f.httpStatus()).isEqualTo(400);
        assertThat(f.faultType()).isEqualTo("ValidationFault");
        assertThat(f.faultClass()).isEqualTo(FaultClass.DETERMINISTIC);
        assertThat(f.existingId()).contains("58");
        assertThat(f.intuitTid()).isEqualTo("1-abc");
        assertThat(f.requestId()).isEqualTo("req-1");
        assertThat(f.toString()).contains("6240", "1-abc", "Id=58");
    }

    @Test
    void duplicateDocNumberCarriesTheTxnId() {
        QboFaultException f = parse(400, fault("6140", "Duplicate Document Number Error",
                "Duplicate Document Number Error : You must specify a different number. This number has already"
                        + " been used. DocNumber=INV-0002 is assigned to TxnType=Invoice with TxnId=2137", ""));
        assertThat(f.existingId()).contains("2137");
        assertThat(f.faultClass()).isEqualTo(FaultClass.DETERMINISTIC);
    }

    @Test
    void deterministicCodesAndElement() {
        assertThat(parse(400, fault("610", "Object Not Found", "Object Not Found : Another user has deleted this"
                + " transaction.", "")).faultClass()).isEqualTo(FaultClass.DETERMINISTIC);
        QboFaultException ref = parse(400, fault("2500", "Invalid Reference Id",
                "Invalid Reference Id : Names element id 75 not found", ""));
        assertThat(ref.faultClass()).isEqualTo(FaultClass.DETERMINISTIC);
        assertThat(ref.existingId()).isEmpty();
        QboFaultException len = parse(400, fault("2050",
                "String length is either shorter or longer than supported by specification",
                "Min:0 Max:100 supported. Supplied length:103", "Name"));
        assertThat(len.element()).isEqualTo("Name");
        assertThat(len.faultClass()).isEqualTo(FaultClass.DETERMINISTIC);
    }

    @Test
    void staleObjectIsTransient() {
        QboFaultException f = parse(400, fault("5010", "Stale Object Error", "Stale Object Error : You and Jane Doe"
                + " were working on this at the same time.", ""));
        assertThat(f.faultClass()).isEqualTo(FaultClass.TRANSIENT);
        assertThat(f.ambiguous()).isFalse();
    }

    @Test
    void lowerCaseAuthEnvelopeIsAuthAndTokensAreScrubbed() {
        String body = """
                {"warnings":null,"intuitObject":null,"fault":{"error":[{"message":"message=AuthenticationFailed;\
                 errorCode=003200; statusCode=401","detail":"Token expired: AB01eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4Q0JDLUhTMjU2In0x",\
                "code":"3200","element":null}],"type":"AUTHENTICATION"},"report":null,"requestId":null,"time":1730024394085}""";
        QboFaultException f = parse(401, body);
        assertThat(f.code()).isEqualTo("3200");
        assertThat(f.faultType()).isEqualTo("AUTHENTICATION");
        assertThat(f.faultClass()).isEqualTo(FaultClass.AUTH);
        assertThat(f.faultMessage()).contains("AuthenticationFailed");
        assertThat(f.detail()).startsWith("Token expired: ").doesNotContain("eyJhbGci");
        assertThat(f.toString()).doesNotContain("eyJhbGci");
        assertThat(f.getMessage()).doesNotContain("eyJhbGci");
    }

    @Test
    void authorizationOutageVariantIsTransient() {
        String body = """
                {"fault":{"error":[{"message":"message=InternalServerError; errorCode=003100; statusCode=500",\
                "code":"3100"}],"type":"SERVICE"}}""";
        assertThat(parse(500, body).faultClass()).isEqualTo(FaultClass.TRANSIENT);
        assertThat(parse(403, body.replace("InternalServerError", "ApplicationAuthorizationFailed")
                .replace("statusCode=500", "statusCode=403")).faultClass()).isEqualTo(FaultClass.AUTH);
    }

    @Test
    void xmlThrottleFault() {
        String xml = """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <IntuitResponse xmlns="http://schema.intuit.com/finance/v3" time="2026-03-02T10:21:07.311-08:00">
                  <Fault type="SERVICE">
                    <Error code="3001" element="">
                      <Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message>
                      <Detail>The request limit was reached.  Try again later</Detail>
                    </Error>
                  </Fault>
                </IntuitResponse>""";
        QboFaultException f = parser.toException(429, headers(Map.of("Retry-After", List.of("7"))),
                xml.getBytes(StandardCharsets.UTF_8), false, "9130", null);
        assertThat(f.code()).isEqualTo("3001");
        assertThat(f.faultType()).isEqualTo("SERVICE");
        assertThat(f.detail()).contains("request limit");
        assertThat(f.throttled()).isTrue();
        assertThat(f.faultClass()).isEqualTo(FaultClass.TRANSIENT);
        assertThat(f.retryAfter()).contains(Duration.ofSeconds(7));
    }

    @Test
    void xmlValidationFaultWithElement() {
        String xml = "<IntuitResponse><Fault type=\"ValidationFault\"><Error code=\"2050\" element=\"DisplayName\">"
                + "<Message>String length is either shorter or longer than supported by specification</Message>"
                + "<Detail>Min:0 Max:500 supported. Supplied length:501</Detail></Error></Fault></IntuitResponse>";
        QboFaultException f = parse(400, xml);
        assertThat(f.code()).isEqualTo("2050");
        assertThat(f.element()).isEqualTo("DisplayName");
        assertThat(f.faultClass()).isEqualTo(FaultClass.DETERMINISTIC);
    }

    @Test
    void xmlWithDoctypeIsNotExpanded() {
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<IntuitResponse><Fault><Error code=\"1\"><Message>&e;</Message></Error></Fault></IntuitResponse>";
        QboFaultException f = parse(400, xml);
        assertThat(f.code()).isNull();
        assertThat(f.toString()).doesNotContain("root:");
    }

    @Test
    void htmlGatewayPagesAreTransient() {
        String html = "<!DOCTYPE html><html><head><title>503 Service Temporarily Unavailable</title></head>"
                + "<body><h1>Service Unavailable</h1><p>Please retry.</p></body></html>";
        QboFaultException f = parse(503, html);
        assertThat(f.faultType()).isEqualTo("HTML");
        assertThat(f.faultMessage()).isEqualTo("503 Service Temporarily Unavailable");
        assertThat(f.detail()).contains("Please retry.");
        assertThat(f.faultClass()).isEqualTo(FaultClass.TRANSIENT);
        assertThat(f.intuitTid()).isEqualTo("1-abc");
        assertThat(parse(502, "<html><body><h1>Bad Gateway</h1></body></html>").faultMessage())
                .isEqualTo("Bad Gateway");
    }

    @Test
    void emptyThrottleReplyIsTransientAndThrottled() {
        QboFaultException f = parse(429, "");
        assertThat(f.code()).isNull();
        assertThat(f.throttled()).isTrue();
        assertThat(f.faultClass()).isEqualTo(FaultClass.TRANSIENT);
        assertThat(f.retryAfter()).isEmpty();
    }

    @Test
    void systemFaultAndBusinessInternalErrorAreTransient() {
        assertThat(parse(500, fault("10000", "An application error has occurred while processing your request",
                "System Failure Error: java.lang.NullPointerException", "")).faultClass())
                .isEqualTo(FaultClass.TRANSIENT);
        assertThat(parse(400, fault("6000", "A business validation error has occurred while processing your"
                + " request", "Business Validation Error: Unexpected Internal Error. (-30000)", "")).faultClass())
                .isEqualTo(FaultClass.TRANSIENT);
        assertThat(parse(400, fault("6000", "A business validation error has occurred while processing your"
                + " request", "Business Validation Error: You must set a transaction amount.", "")).faultClass())
                .isEqualTo(FaultClass.DETERMINISTIC);
    }

    @Test
    void plainTextAndMultipleErrors() {
        QboFaultException text = parse(500, "upstream connect error");
        assertThat(text.detail()).isEqualTo("upstream connect error");
        assertThat(text.faultClass()).isEqualTo(FaultClass.TRANSIENT);
        String two = """
                {"Fault":{"Error":[{"Message":"A","code":"2020","Detail":"Required parameter Line is missing"},
                {"Message":"B","code":"2050","element":"DocNumber"}],"type":"ValidationFault"}}""";
        QboFaultException f = parse(400, two);
        assertThat(f.errors()).hasSize(2);
        assertThat(f.errors().get(1).element()).isEqualTo("DocNumber");
        assertThat(f.code()).isEqualTo("2020");
    }

    @Test
    void retryAfterAsHttpDate() {
        String date = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(120));
        Duration d = QboFaultParser.retryAfter(headers(Map.of("Retry-After", List.of(date)))).orElseThrow();
        assertThat(d).isBetween(Duration.ofSeconds(100), Duration.ofSeconds(121));
    }
}
