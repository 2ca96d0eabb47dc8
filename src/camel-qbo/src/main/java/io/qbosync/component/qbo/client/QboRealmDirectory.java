package io.qbosync.component.qbo.client;

import java.util.Optional;

/**
 * Optional extra of a {@link QboTokenProvider}: knows which API host a company lives on (sandbox companies
 * answer only on the sandbox host). Used when neither the request nor the endpoint sets {@code baseUrl}.
 */
public interface QboRealmDirectory {

    /** The API base URL stored for the company, if any. */
    Optional<String> apiBaseUrl(String realmId);
}
