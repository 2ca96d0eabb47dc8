package io.qbosync.component.qbo.client;

/**
 * Supplies OAuth access tokens for a QBO company. Implementations must be thread-safe.
 * {@link OAuthTokenManager} is the production implementation.
 */
public interface QboTokenProvider {

    /**
     * A currently valid access token for the company.
     *
     * @throws io.qbosync.component.qbo.QboConnectionExpiredException when the connection must be re-authorized
     * @throws io.qbosync.component.qbo.QboFaultException              when no token can be obtained now
     */
    String accessToken(String realmId);

    /**
     * Called once after QBO answered 401 to {@code rejectedAccessToken}: returns a different, fresh token
     * (refreshing if nobody else already did). The client retries the call once with it.
     */
    String refreshAfterRejection(String realmId, String rejectedAccessToken);
}
