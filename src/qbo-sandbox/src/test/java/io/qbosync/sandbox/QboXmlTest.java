package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JSON-tree ↔ QBO-XML mapping on its own. */
class QboXmlTest {
    private static final String NS = "xmlns=\"http://schema.intuit.com/finance/v3\"";

    @Test
    void lowerCaseScalarsAreAttributesAndValueIsText() {
        ObjectNode env = Json.parseObject("{\"Invoice\":{\"Id\":\"7\",\"domain\":\"QBO\",\"sparse\":false,"
                + "\"CustomerRef\":{\"value\":\"58\",\"name\":\"Amy <&> \\\"Birds\\\"\"},\"TotalAmt\":1E+3,"
                + "\"Line\":[{\"Id\":\"1\",\"Amount\":10.50},{\"Id\":\"2\"}],\"PrivateNote\":null},"
                + "\"time\":\"2026-03-02T10:21:07.311-08:00\"}");
        assertThat(QboXml.response(env)).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                + "<IntuitResponse " + NS + " time=\"2026-03-02T10:21:07.311-08:00\">"
                + "<Invoice domain=\"QBO\" sparse=\"false\"><Id>7</Id>"
                + "<CustomerRef name=\"Amy &lt;&amp;&gt; &quot;Birds&quot;\">58</CustomerRef>"
                + "<TotalAmt>1000</TotalAmt><Line><Id>1</Id><Amount>10.50</Amount></Line><Line><Id>2</Id></Line>"
                + "</Invoice></IntuitResponse>");
    }

    @Test
    void faultEnvelopeHasTypeAndCodeAttributes() {
        QboFault f = Faults.fault(Faults.duplicateName("12"));
        assertThat(QboXml.response(f.envelope("2026-03-02T10:21:07.311-08:00")))
                .contains("<Fault type=\"ValidationFault\"><Error code=\"6240\" element=\"\">"
                        + "<Message>Duplicate Name Exists Error</Message>"
                        + "<Detail>The name supplied already exists. : Id=12</Detail></Error></Fault>");
    }

    @Test
    void requestReadsReferencesArraysNumbersAndBooleans() throws Exception {
        ObjectNode body = QboXml.request("<Invoice " + NS + " sparse=\"true\">"
                + "<CustomerRef name=\"Amy\">58</CustomerRef><SalesTermRef>3</SalesTermRef>"
                + "<DocNumber>0042</DocNumber><AllowOnlinePayment>false</AllowOnlinePayment>"
                + "<Line><Amount>10.50</Amount><DetailType>SalesItemLineDetail</DetailType>"
                + "<SalesItemLineDetail><Qty>2</Qty><UnitPrice>5.25</UnitPrice></SalesItemLineDetail></Line>"
                + "<CustomerMemo>Thanks &amp; bye</CustomerMemo></Invoice>");
        assertThat(body.get("sparse").isBoolean()).isTrue();
        assertThat(body.get("CustomerRef")).isEqualTo(Json.parseObject("{\"name\":\"Amy\",\"value\":\"58\"}"));
        assertThat(body.get("SalesTermRef")).isEqualTo(Json.parseObject("{\"value\":\"3\"}"));
        assertThat(body.get("DocNumber").asText()).isEqualTo("0042");   // numeric-looking text stays text
        assertThat(body.get("AllowOnlinePayment").booleanValue()).isFalse();
        JsonNode line = body.get("Line");
        assertThat(line.isArray()).as("a single <Line> is still an array").isTrue();
        assertThat(line.get(0).get("Amount").decimalValue()).isEqualByComparingTo("10.50");
        assertThat(line.get(0).get("Amount").decimalValue().scale()).isEqualTo(2);
        assertThat(line.get(0).path("SalesItemLineDetail").get("Qty").isNumber()).isTrue();
        assertThat(body.get("CustomerMemo")).isEqualTo(Json.parseObject("{\"value\":\"Thanks & bye\"}"));
    }

    @Test
    void repeatedElementsBecomeArraysAndEmptyDetailsObjects() throws Exception {
        ObjectNode body = QboXml.request("<IntuitBatchRequest " + NS + ">"
                + "<BatchItemRequest bId=\"b1\" operation=\"create\"><Customer><DisplayName>A</DisplayName></Customer>"
                + "</BatchItemRequest><BatchItemRequest bId=\"b2\"><Query>select * from Item</Query></BatchItemRequest>"
                + "</IntuitBatchRequest>");
        assertThat(body.get("BatchItemRequest")).hasSize(2);
        assertThat(body.at("/BatchItemRequest/0/bId").asText()).isEqualTo("b1");
        assertThat(body.at("/BatchItemRequest/0/Customer/DisplayName").asText()).isEqualTo("A");
        assertThat(body.at("/BatchItemRequest/1/Query").asText()).isEqualTo("select * from Item");

        ObjectNode line = QboXml.request("<Line " + NS + "><DetailType>DescriptionOnly</DetailType>"
                + "<DescriptionLineDetail/></Line>");
        assertThat(line.get("DescriptionLineDetail").isObject()).isTrue();
    }

    @Test
    void malformedXmlAndDoctypesAreRefused() {
        assertThatThrownBy(() -> QboXml.request("<Customer><DisplayName>x</Customer>"))
                .isInstanceOf(QboXml.MalformedXml.class);
        assertThatThrownBy(() -> QboXml.request("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<Customer><DisplayName>&e;</DisplayName></Customer>"))
                .isInstanceOf(QboXml.MalformedXml.class);
    }
}
