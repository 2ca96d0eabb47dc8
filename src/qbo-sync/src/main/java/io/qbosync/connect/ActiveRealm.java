package io.qbosync.connect;

import org.springframework.stereotype.Component;

/**
 * The QBO company (realm) this node syncs into: the configured one, or the bundled sandbox's realm provisioned at
 * start-up. Set once by {@link RealmProvisioner} before the routes start.
 */
@Component("activeRealm")
public class ActiveRealm {

    private volatile String realmId;

    public String realmId() {
        String id = realmId;
        if (id == null) {
            throw new IllegalStateException("No QBO company connected yet");
        }
        return id;
    }

    public boolean isConnected() {
        return realmId != null;
    }

    void set(String realmId) {
        this.realmId = realmId;
    }
}
