package io.qbosync.component.qbo;

import io.qbosync.component.qbo.client.QboTokenProvider;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * Options of the qbo component. One instance lives on the component (defaults) and each endpoint gets a
 * copy, which its URI parameters then change. The javadoc of each field is the option's user documentation and its
 * description in the Camel catalog: keep it plain text, without inline tags such as code or link.
 */
@UriParams
public class QboConfiguration implements Cloneable {

    /**
     * The QBO company (realmId) to call. The message header QboRealmId overrides it, so one endpoint can
     * serve several companies.
     */
    @UriParam(label = "common")
    private String realmId;

    /**
     * API host without path, e.g. https://quickbooks.api.intuit.com, https://sandbox-quickbooks.api.intuit.com or the
     * bundled sandbox's URL. When unset, the company's stored connection decides, else the client's default (property
     * qbo.api.base-url).
     */
    @UriParam(label = "common")
    private String baseUrl;

    /** The minorversion parameter sent with every call. Since August 2025 QBO serves everything older as 75. */
    @UriParam(label = "common", defaultValue = "75")
    private int minorVersion = 75;

    /**
     * Connect timeout in milliseconds. An endpoint with a value different from the component's gets its own
     * connection pool.
     */
    @UriParam(label = "advanced", defaultValue = "10000", javaType = "long")
    private long connectTimeout = 10_000;

    /**
     * Time in milliseconds allowed for one HTTP request and its response. A write that times out is reported as an
     * ambiguous transient fault: retry it with the same QboRequestId header.
     */
    @UriParam(label = "advanced", defaultValue = "60000", javaType = "long")
    private long requestTimeout = 60_000;

    /**
     * For update: send a sparse update (sparse set to true in the request body, only the fields in the body change).
     * With false a full update is sent and every writable field missing from the body is cleared by QBO.
     */
    @UriParam(label = "producer", defaultValue = "true")
    private boolean sparse = true;

    /**
     * For create and update of transactions: accept a DocNumber already used (QBO's include parameter set to
     * allowduplicatedocnum) instead of failing with error 6140.
     */
    @UriParam(label = "producer", defaultValue = "false")
    private boolean allowDuplicateDocNumber;

    /** For query: page size (MAXRESULTS), 1 to 1000. */
    @UriParam(label = "producer,query", defaultValue = "1000")
    private int maxResults = 1000;

    /**
     * For query: fetch every page (STARTPOSITION advancing by the page size) until a short page. With false only
     * the first page is returned. Statements that set STARTPOSITION or MAXRESULTS themselves are
     * sent once, as written.
     */
    @UriParam(label = "producer,query", defaultValue = "true")
    private boolean fetchAll = true;

    /**
     * For cdc: comma-separated entity names, e.g. Invoice,Payment,Customer. Defaults to the URI's entity (as in
     * qbo:cdc:Invoice).
     */
    @UriParam(label = "producer,cdc")
    private String entities;

    /**
     * Source of OAuth access tokens: a bean implementing QboTokenProvider, referenced as #beanName (e.g.
     * #oauthTokenManager). When unset, the component's client's provider is used. On the component it is autowired
     * when the registry holds exactly one QboTokenProvider.
     */
    @UriParam(label = "security")
    @Metadata(autowired = true)
    private QboTokenProvider tokenProvider;

    /** Returns a copy for an endpoint. */
    public QboConfiguration copy() {
        try {
            return (QboConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public String getRealmId() {
        return realmId;
    }

    public void setRealmId(String realmId) {
        this.realmId = realmId;
    }

    public String getBaseUrl() {
        return baseUrl;
    }

    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public int getMinorVersion() {
        return minorVersion;
    }

    public void setMinorVersion(int minorVersion) {
        this.minorVersion = minorVersion;
    }

    public long getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public long getRequestTimeout() {
        return requestTimeout;
    }

    public void setRequestTimeout(long requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public boolean isSparse() {
        return sparse;
    }

    public void setSparse(boolean sparse) {
        this.sparse = sparse;
    }

    public boolean isAllowDuplicateDocNumber() {
        return allowDuplicateDocNumber;
    }

    public void setAllowDuplicateDocNumber(boolean allowDuplicateDocNumber) {
        this.allowDuplicateDocNumber = allowDuplicateDocNumber;
    }

    public int getMaxResults() {
        return maxResults;
    }

    public void setMaxResults(int maxResults) {
        this.maxResults = maxResults;
    }

    public boolean isFetchAll() {
        return fetchAll;
    }

    public void setFetchAll(boolean fetchAll) {
        this.fetchAll = fetchAll;
    }

    public String getEntities() {
        return entities;
    }

    public void setEntities(String entities) {
        this.entities = entities;
    }

    public QboTokenProvider getTokenProvider() {
        return tokenProvider;
    }

    public void setTokenProvider(QboTokenProvider tokenProvider) {
        this.tokenProvider = tokenProvider;
    }
}
