package io.qbosync.component.qbo.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Defaults of a {@link QboClient}; requests may override base URL, minor version and request timeout.
 *
 * @param baseUrl          API host, e.g. {@code https://quickbooks.api.intuit.com} or the sandbox's URL
 *                         (used when neither request nor realm directory names one)
 * @param minorVersion     {@code minorversion} sent with every call (75)
 * @param connectTimeout   TCP/TLS connect timeout
 * @param requestTimeout   time allowed for a whole request/response
 * @param maxConnections   HTTP calls in flight at once over all companies (bounds the connection pool)
 * @param throttleRetries  how many times a 429 is retried inside the client after the realm's pause (0 = throw)
 */
public record QboClientSettings(String baseUrl, int minorVersion, Duration connectTimeout, Duration requestTimeout,
                                int maxConnections, int throttleRetries) {

    /** QBO's production API host: the one default everywhere a base URL is not given. */
    public static final String PRODUCTION_API_URL = "https://quickbooks.api.intuit.com";
    /** Intuit's OAuth 2.0 token endpoint. */
    public static final String PRODUCTION_TOKEN_URL = "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer";

    /** A blank setting means QBO production. */
    public static String apiUrlOrProduction(String baseUrl) {
        return baseUrl == null || baseUrl.isBlank() ? PRODUCTION_API_URL : baseUrl.strip();
    }

    /** A blank setting means Intuit's token endpoint. */
    public static String tokenUrlOrProduction(String tokenUrl) {
        return tokenUrl == null || tokenUrl.isBlank() ? PRODUCTION_TOKEN_URL : tokenUrl.strip();
    }

    /** Validates the values. */
    public QboClientSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be >= 1");
        }
        if (throttleRetries < 0) {
            throw new IllegalArgumentException("throttleRetries must be >= 0");
        }
    }

    /** Defaults for the given host: minor version 75, 10 s connect, 60 s request, 32 connections, 1 throttle retry. */
    public static QboClientSettings defaults(String baseUrl) {
        return new QboClientSettings(baseUrl, 75, Duration.ofSeconds(10), Duration.ofSeconds(60), 32, 1);
    }

    /** Copy with another connect timeout. */
    public QboClientSettings withConnectTimeout(Duration d) {
        return new QboClientSettings(baseUrl, minorVersion, d, requestTimeout, maxConnections, throttleRetries);
    }

    /** Copy with another throttle retry count. */
    public QboClientSettings withThrottleRetries(int n) {
        return new QboClientSettings(baseUrl, minorVersion, connectTimeout, requestTimeout, maxConnections, n);
    }
}
