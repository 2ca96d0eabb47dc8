package io.qbosync.component.qbo.springboot;

import org.apache.camel.spring.boot.ComponentConfigurationPropertiesCommon;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code camel.component.qbo.*} keys: the options of the qbo component (see QboConfiguration for what each one
 * does). Every field is a wrapper type without initial value on purpose: only keys that are set are copied onto the
 * component, so a component wired in code (the app's {@code qbo} bean, whose defaults come from its client) keeps its
 * own values for the rest. The javadoc of each field is the key's description in the generated
 * spring-configuration-metadata.json: plain text, and the component's default in words, as the metadata has none.
 */
@ConfigurationProperties(prefix = "camel.component.qbo")
public class QboComponentConfiguration extends ComponentConfigurationPropertiesCommon {

    /**
     * The QBO company (realmId) that qbo endpoints call when the message has no QboRealmId header. Unset by default.
     */
    private String realmId;

    /**
     * API host without path for every qbo endpoint, e.g. https://quickbooks.api.intuit.com,
     * https://sandbox-quickbooks.api.intuit.com or the bundled sandbox's URL. Unset by default: the company's stored
     * connection decides, else the client's default (in qbo-sync, qbo.api.base-url).
     */
    private String baseUrl;

    /**
     * The minorversion parameter sent with every call. The component's default is 75, or the minor version of the
     * client it was given (in qbo-sync, qbo.api.minor-version).
     */
    private Integer minorVersion;

    /**
     * Connect timeout in milliseconds. The component's default is 10000, or the client's (in qbo-sync,
     * qbo.api.connect-timeout-ms); a different value gets its own connection pool.
     */
    private Long connectTimeout;

    /**
     * Time in milliseconds allowed for one HTTP request and its response. The component's default is 60000, or the
     * client's (in qbo-sync, qbo.api.request-timeout-ms).
     */
    private Long requestTimeout;

    /**
     * For update: send sparse updates (only the fields in the body change). With false a full update is sent and
     * QBO clears every writable field missing from the body. Default true.
     */
    private Boolean sparse;

    /**
     * For create and update of transactions: accept a DocNumber already in use instead of failing with error 6140.
     * Default false.
     */
    private Boolean allowDuplicateDocNumber;

    /** For query: page size (MAXRESULTS), 1 to 1000. Default 1000. */
    private Integer maxResults;

    /**
     * For query: fetch every page until a short page. With false only the first page is returned. Default true.
     */
    private Boolean fetchAll;

    /** For cdc: comma-separated entity names, e.g. Invoice,Payment,Customer. Unset by default: the URI's entity. */
    private String entities;

    /**
     * Bean reference (#beanName) to the QboTokenProvider that supplies OAuth access tokens, e.g. #oauthTokenManager.
     * Unset by default: the single QboTokenProvider bean of the context is autowired, if there is exactly one.
     */
    private String tokenProvider;

    /**
     * Start producers lazily, on the first message, so that a route can start while QBO is unreachable. Default
     * false.
     */
    private Boolean lazyStartProducer;

    /**
     * Autowire the client, rate governor and token provider from the only bean of their type in the context.
     * Default true.
     */
    private Boolean autowiredEnabled;

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

    public Integer getMinorVersion() {
        return minorVersion;
    }

    public void setMinorVersion(Integer minorVersion) {
        this.minorVersion = minorVersion;
    }

    public Long getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Long getRequestTimeout() {
        return requestTimeout;
    }

    public void setRequestTimeout(Long requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public Boolean getSparse() {
        return sparse;
    }

    public void setSparse(Boolean sparse) {
        this.sparse = sparse;
    }

    public Boolean getAllowDuplicateDocNumber() {
        return allowDuplicateDocNumber;
    }

    public void setAllowDuplicateDocNumber(Boolean allowDuplicateDocNumber) {
        this.allowDuplicateDocNumber = allowDuplicateDocNumber;
    }

    public Integer getMaxResults() {
        return maxResults;
    }

    public void setMaxResults(Integer maxResults) {
        this.maxResults = maxResults;
    }

    public Boolean getFetchAll() {
        return fetchAll;
    }

    public void setFetchAll(Boolean fetchAll) {
        this.fetchAll = fetchAll;
    }

    public String getEntities() {
        return entities;
    }

    public void setEntities(String entities) {
        this.entities = entities;
    }

    public String getTokenProvider() {
        return tokenProvider;
    }

    public void setTokenProvider(String tokenProvider) {
        this.tokenProvider = tokenProvider;
    }

    public Boolean getLazyStartProducer() {
        return lazyStartProducer;
    }

    public void setLazyStartProducer(Boolean lazyStartProducer) {
        this.lazyStartProducer = lazyStartProducer;
    }

    public Boolean getAutowiredEnabled() {
        return autowiredEnabled;
    }

    public void setAutowiredEnabled(Boolean autowiredEnabled) {
        this.autowiredEnabled = autowiredEnabled;
    }
}
