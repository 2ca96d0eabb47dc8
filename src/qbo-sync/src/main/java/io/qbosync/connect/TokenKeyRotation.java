package io.qbosync.connect;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

import io.qbosync.store.QboConnectionRepository;
import io.qbosync.store.QboConnectionRepository.Reencryption;

/**
 * Moves stored QBO secrets onto the current token key: at every start (so a rotation completes with the restart
 * that configures the new key) and on demand ({@code POST /api/connections/re-encrypt}, ADMIN). Values sealed
 * before secrets were bound to their row's URLs are re-sealed with that binding on the way.
 */
@Component("tokenKeyRotation")
public class TokenKeyRotation implements SmartInitializingSingleton {

    private static final Logger LOG = LoggerFactory.getLogger(TokenKeyRotation.class);

    private final QboConnectionRepository connections;

    public TokenKeyRotation(QboConnectionRepository connections) {
        this.connections = connections;
    }

    @Override
    public void afterSingletonsInstantiated() {
        reencrypt("start-up");
    }

    /** Re-encrypts what an older key sealed; {@code by} names who asked, for the log. */
    public Reencryption reencrypt(String by) {
        Reencryption result = connections.reencryptAll();
        if (result.reencrypted() > 0) {
            LOG.info("{}: re-encrypted the secrets of {} of {} QBO connection(s) with token key {}", by,
                    result.reencrypted(), result.connections(), result.keyId());
        }
        for (String failure : result.failed()) {
            LOG.error("{}: {}", by, failure);
        }
        return result;
    }
}
