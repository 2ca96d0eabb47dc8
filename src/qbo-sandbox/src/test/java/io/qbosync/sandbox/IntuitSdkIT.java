package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.intuit.ipp.core.Context;
import com.intuit.ipp.core.ServiceType;
import com.intuit.ipp.data.Customer;
import com.intuit.ipp.data.EmailAddress;
import com.intuit.ipp.data.Error;
import com.intuit.ipp.data.IntuitEntity;
import com.intuit.ipp.data.Invoice;
import com.intuit.ipp.data.Line;
import com.intuit.ipp.data.LineDetailTypeEnum;
import com.intuit.ipp.data.LinkedTxn;
import com.intuit.ipp.data.Payment;
import com.intuit.ipp.data.PhysicalAddress;
import com.intuit.ipp.data.ReferenceType;
import com.intuit.ipp.data.SalesItemLineDetail;
import com.intuit.ipp.data.Vendor;
import com.intuit.ipp.exception.FMSException;
import com.intuit.ipp.security.OAuth2Authorizer;
import com.intuit.ipp.services.DataService;
import com.intuit.ipp.services.QueryResult;
import com.intuit.ipp.util.Config;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Intuit's own Java SDK (ipp-v3-java-devkit 6.3.0) against the sandbox, in its default configuration — gzip
 * request bodies, gzip answers — with only the base URL changed (plus the SDK's proxy setting, which its
 * transport needs to reach a non-default port: see {@link #sdk}), once with JSON and once with XML bodies.
 * It proves the sandbox's wire format is what the SDK's Jackson and JAXB (un)marshallers expect.
 */
class IntuitSdkIT extends RunningSandbox {
    /** The SDK's Config is per thread and outlives a test: every changed key is put back afterwards. */
    private final Map<String, String> changedConfig = new LinkedHashMap<>();
    private SandboxClient.Realm realm;
    private WireRecorder wire;

    @AfterEach
    void restoreSdkConfig() {
        changedConfig.forEach(Config::setProperty);
        changedConfig.clear();
        if (wire != null) {
            wire.close();
        }
    }

    private void configure(String key, String value) {
        changedConfig.putIfAbsent(key, Config.getProperty(key));
        Config.setProperty(key, value);
    }

    /** A DataService on a fresh realm; {@code format} "json" is the SDK default, "xml" switches both directions. */
    private DataService sdk(String format) throws FMSException, IOException {
        assertThat(Config.getProperty(Config.COMPRESSION_REQUEST_FORMAT)).isEqualTo("gzip");
        assertThat(Config.getProperty(Config.COMPRESSION_RESPONSE_FORMAT)).isEqualTo("gzip");
        configure(Config.BASE_URL_QBO, sandbox.baseUrl() + "/v3/company");
        // The SDK's default transport (HTTPClientConnectionInterceptor) connects to new HttpHost(uri.getHost(), -1,
        // scheme): it drops the port of BASE_URL_QBO and would call 127.0.0.1:80. Its own proxy setting is the only
        // way to reach a server on another port without changing the transport. The proxy is a recorder that passes
        // bytes through unchanged, so the tests also see the headers the SDK really sent and received.
        wire = new WireRecorder(sandbox.baseUrl());
        configure(Config.PROXY_HOST, "127.0.0.1");
        configure(Config.PROXY_PORT, Integer.toString(wire.port()));
        if (format.equals("xml")) {
            configure(Config.SERIALIZATION_REQUEST_FORMAT, "xml");
            configure(Config.SERIALIZATION_RESPONSE_FORMAT, "xml");
        } else {
            assertThat(Config.getProperty(Config.SERIALIZATION_REQUEST_FORMAT)).isEqualTo("json");
        }
        realm = client.createRealm("SDK " + format);
        return new DataService(new Context(new OAuth2Authorizer(realm.accessToken()), ServiceType.QBO, realm.id()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "xml"})
    void customers(String format) throws FMSException, IOException {
        DataService ds = sdk(format);
        Customer draft = new Customer();
        draft.setDisplayName("Amy's Bird Sanctuary & Co <" + format + ">");
        draft.setCompanyName("Amy's Bird Sanctuary");
        EmailAddress email = new EmailAddress();
        email.setAddress("amy@birds.example");
        draft.setPrimaryEmailAddr(email);
        PhysicalAddress addr = new PhysicalAddress();
        addr.setLine1("4581 Finch St.");
        addr.setCity("Bayshore");
        addr.setPostalCode("04326");
        draft.setBillAddr(addr);

        Customer created = ds.add(draft);
        assertThat(created.getId()).isNotBlank();
        assertThat(created.getSyncToken()).isEqualTo("0");
        assertThat(created.isActive()).isTrue();
        assertThat(created.getMetaData().getCreateTime()).isNotNull();
        assertThat(created.getBillAddr().getPostalCode()).isEqualTo("04326");

        Customer read = ds.findById(byId(new Customer(), created.getId()));
        assertThat(read.getDisplayName()).isEqualTo(draft.getDisplayName());
        assertThat(read.getPrimaryEmailAddr().getAddress()).isEqualTo("amy@birds.example");
        assertThat(read.getBalance()).isEqualByComparingTo("0");

        QueryResult q = ds.executeQuery(
                "select * from Customer where DisplayName = 'Amy\\'s Bird Sanctuary & Co <" + format + ">'");
        assertThat(q.getEntities()).hasSize(1);
        assertThat(((Customer) q.getEntities().get(0)).getId()).isEqualTo(created.getId());
        assertThat(q.getStartPosition()).isEqualTo(1);
        assertThat(ds.executeQuery("select count(*) from Customer").getTotalCount()).isEqualTo(1);

        Customer sparse = byId(new Customer(), created.getId());
        sparse.setSyncToken(created.getSyncToken());
        sparse.setSparse(true);
        sparse.setNotes("prefers e-mail");
        Customer updated = ds.update(sparse);
        assertThat(updated.getSyncToken()).isEqualTo("1");
        assertThat(updated.getNotes()).isEqualTo("prefers e-mail");
        assertThat(updated.getCompanyName()).isEqualTo("Amy's Bird Sanctuary");

        Vendor vendor = new Vendor();
        vendor.setDisplayName("Shared Name " + format);
        Vendor v = ds.add(vendor);
        // QBO's fault type is "ValidationFault"; the SDK raises ValidationException only for type "Validation",
        // so a QBO validation fault reaches SDK users as a plain FMSException carrying the error list.
        Customer clash = new Customer();
        clash.setDisplayName("Shared Name " + format);
        FMSException fault = catchThrowableOfType(() -> ds.add(clash), FMSException.class);
        assertThat(fault).as("a customer named like a vendor").isNotNull();
        Error error = fault.getErrorList().get(0);
        assertThat(error.getCode()).isEqualTo("6240");
        assertThat(error.getMessage()).isEqualTo("Duplicate Name Exists Error");
        assertThat(error.getDetail()).endsWith("Id=" + v.getId());
        assertWire(format);
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "xml"})
    void invoices(String format) throws FMSException, IOException {
        DataService ds = sdk(format);
        Customer customer = ds.add(named("Invoice Customer " + format));

        Invoice created = ds.add(invoice(customer, "150.00", "3", "50"));
        assertThat(created.getId()).isNotBlank();
        assertThat(created.getDocNumber()).isEqualTo("1001");
        assertThat(created.getTotalAmt()).isEqualByComparingTo("150.00");
        assertThat(created.getBalance()).isEqualByComparingTo("150.00");
        assertThat(created.getCustomerRef().getValue()).isEqualTo(customer.getId());
        assertThat(created.getCustomerRef().getName()).isEqualTo(customer.getDisplayName());
        Line first = created.getLine().get(0);
        assertThat(first.getDetailType()).isEqualTo(LineDetailTypeEnum.SALES_ITEM_LINE_DETAIL);
        assertThat(first.getSalesItemLineDetail().getQty()).isEqualByComparingTo("3");
        assertThat(created.getLine()).extracting(Line::getDetailType)
                .containsExactly(LineDetailTypeEnum.SALES_ITEM_LINE_DETAIL, LineDetailTypeEnum.SUB_TOTAL_LINE_DETAIL);

        Invoice read = ds.findById(byId(new Invoice(), created.getId()));
        assertThat(read.getTxnDate()).isNotNull();
        assertThat(read.getLine()).hasSize(2);

        QueryResult q = ds.executeQuery("select * from Invoice where CustomerRef = '" + customer.getId() + "'");
        assertThat(q.getEntities()).extracting(e -> ((Invoice) e).getId()).containsExactly(created.getId());

        Invoice sparse = byId(new Invoice(), created.getId());
        sparse.setSyncToken(created.getSyncToken());
        sparse.setSparse(true);
        sparse.setPrivateNote("call before shipping");
        Invoice updated = ds.update(sparse);
        assertThat(updated.getSyncToken()).isEqualTo("1");
        assertThat(updated.getPrivateNote()).isEqualTo("call before shipping");
        assertThat(updated.getTotalAmt()).isEqualByComparingTo("150.00");

        Invoice duplicate = invoice(customer, "10.00", null, null);
        duplicate.setDocNumber("1001");
        FMSException fault = catchThrowableOfType(() -> ds.add(duplicate), FMSException.class);
        assertThat(fault).as("a second invoice numbered 1001").isNotNull();
        assertThat(fault.getErrorList()).extracting(Error::getCode).containsExactly("6140");

        Invoice voided = ds.voidRequest(updated);
        assertThat(voided.getTotalAmt()).isEqualByComparingTo("0");
        assertThat(voided.getBalance()).isEqualByComparingTo("0");
        assertThat(voided.getPrivateNote()).isEqualTo("Voided - call before shipping");
        assertThat(voided.getSyncToken()).isEqualTo("2");
        assertWire(format);
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "xml"})
    void payments(String format) throws FMSException, IOException {
        DataService ds = sdk(format);
        Customer customer = ds.add(named("Payment Customer " + format));
        Invoice inv = ds.add(invoice(customer, "150.00", null, null));

        Payment created = ds.add(payment(customer, inv, "40.00", "40.00"));
        assertThat(created.getId()).isNotBlank();
        assertThat(created.getTotalAmt()).isEqualByComparingTo("40.00");
        assertThat(created.getUnappliedAmt()).isEqualByComparingTo("0");
        assertThat(created.getLine().get(0).getLinkedTxn().get(0).getTxnId()).isEqualTo(inv.getId());
        assertThat(created.getDepositToAccountRef().getValue()).isEqualTo("2");   // Undeposited Funds

        Invoice paidDown = ds.findById(byId(new Invoice(), inv.getId()));
        assertThat(paidDown.getBalance()).isEqualByComparingTo("110.00");
        assertThat(paidDown.getSyncToken()).isEqualTo("1");
        assertThat(paidDown.getLinkedTxn()).extracting(LinkedTxn::getTxnId).containsExactly(created.getId());

        Payment read = ds.findById(byId(new Payment(), created.getId()));
        assertThat(read.getCustomerRef().getValue()).isEqualTo(customer.getId());

        QueryResult q = ds.executeQuery("select * from Payment where CustomerRef = '" + customer.getId() + "'");
        assertThat(q.getEntities()).extracting(e -> ((Payment) e).getId()).containsExactly(created.getId());

        Payment sparse = byId(new Payment(), created.getId());
        sparse.setSyncToken(created.getSyncToken());
        sparse.setSparse(true);
        sparse.setPaymentRefNum("CHK-" + format);
        Payment updated = ds.update(sparse);
        assertThat(updated.getPaymentRefNum()).isEqualTo("CHK-" + format);
        assertThat(updated.getSyncToken()).isEqualTo("1");
        assertThat(updated.getTotalAmt()).isEqualByComparingTo("40.00");

        FMSException fault = catchThrowableOfType(
                () -> ds.add(payment(customer, inv, "500.00", "500.00")), FMSException.class);
        assertThat(fault).as("a payment above the invoice's open balance").isNotNull();
        assertThat(fault.getErrorList()).extracting(Error::getCode).containsExactly("6000");

        Payment voided = ds.voidRequest(updated);
        assertThat(voided.getTotalAmt()).isEqualByComparingTo("0");
        assertThat(voided.getPrivateNote()).isEqualTo("Voided");
        assertThat(ds.findById(byId(new Invoice(), inv.getId())).getBalance()).isEqualByComparingTo("150.00");
        assertWire(format);
    }

    /** XML text has no types: an invoice the SDK wrote as XML must be stored with JSON numbers and references. */
    @Test
    void invoiceWrittenAsXmlIsStoredWithJsonTypes() throws FMSException, IOException {
        DataService ds = sdk("xml");
        Customer customer = ds.add(named("Typed xml"));
        Invoice inv = ds.add(invoice(customer, "20.50", "2", "10.25"));
        JsonNode stored = client.admin("GET", "/sandbox/realms/" + realm.id() + "/entities/Invoice", null)
                .json().path("Invoice").path(0);
        assertThat(stored.path("Id").asText()).isEqualTo(inv.getId());
        JsonNode line = stored.path("Line").path(0);
        assertThat(line.path("Amount").isNumber()).isTrue();
        assertThat(line.path("SalesItemLineDetail").path("Qty").isNumber()).isTrue();
        assertThat(stored.path("CustomerRef").path("value").asText()).isEqualTo(customer.getId());
    }

    /**
     * Every body the SDK sent was gzipped and in {@code format}, every answer came back gzipped and in
     * {@code format}: proves the calls above went through the sandbox's decompression and negotiation.
     */
    private void assertWire(String format) {
        String mediaType = format.equals("xml") ? "application/xml" : "application/json";
        List<WireRecorder.Exchange> api = wire.exchanges.stream().filter(e -> e.path().startsWith("/v3/")).toList();
        assertThat(api).hasSizeGreaterThan(5);
        for (WireRecorder.Exchange e : api) {
            if (e.method().equals("POST")) {
                assertThat(e.requestHeader("content-encoding")).as("request %s", e.path()).isEqualTo("gzip");
                if (!e.path().endsWith("/query")) {
                    assertThat(e.requestHeader("content-type")).as("request %s", e.path()).startsWith(mediaType);
                }
            }
            assertThat(e.requestHeader("accept")).as("request %s", e.path()).startsWith(mediaType);
            assertThat(e.responseHeader("content-encoding")).as("answer to %s", e.path()).isEqualTo("gzip");
            assertThat(e.responseHeader("content-type")).as("answer to %s", e.path()).startsWith(mediaType);
        }
        assertThat(api).extracting(WireRecorder.Exchange::status).contains(200, 400);
    }

    private static <T extends IntuitEntity> T byId(T entity, String id) {
        entity.setId(id);
        return entity;
    }

    private static Customer named(String displayName) {
        Customer c = new Customer();
        c.setDisplayName(displayName);
        return c;
    }

    private static ReferenceType ref(String value, String name) {
        ReferenceType r = new ReferenceType();
        r.setValue(value);
        r.setName(name);
        return r;
    }

    private static Invoice invoice(Customer customer, String amount, String qty, String unitPrice) {
        Invoice inv = new Invoice();
        inv.setCustomerRef(ref(customer.getId(), customer.getDisplayName()));
        Line line = new Line();
        line.setAmount(new BigDecimal(amount));
        line.setDescription("Bird seed");
        line.setDetailType(LineDetailTypeEnum.SALES_ITEM_LINE_DETAIL);
        SalesItemLineDetail detail = new SalesItemLineDetail();
        if (qty != null) {
            detail.setQty(new BigDecimal(qty));
            detail.setUnitPrice(new BigDecimal(unitPrice));
        }
        line.setSalesItemLineDetail(detail);
        inv.setLine(List.of(line));
        return inv;
    }

    private static Payment payment(Customer customer, Invoice inv, String total, String applied) {
        Payment p = new Payment();
        p.setCustomerRef(ref(customer.getId(), null));
        p.setTotalAmt(new BigDecimal(total));
        LinkedTxn link = new LinkedTxn();
        link.setTxnId(inv.getId());
        link.setTxnType("Invoice");
        Line line = new Line();
        line.setAmount(new BigDecimal(applied));
        line.setLinkedTxn(List.of(link));
        p.setLine(List.of(line));
        return p;
    }
}
