package io.qbosync.connect;

import org.springframework.stereotype.Component;

/**
 * The QBO company ops views and actions use when none is named: the node's only company, or the first connected
 * when the mapping file routes invoices to several ({@link QboCompanies}).
 */
@Component("activeRealm")
public class ActiveRealm {

    private final QboCompanies companies;

    public ActiveRealm(QboCompanies companies) {
        this.companies = companies;
    }

    public String realmId() {
        return companies.firstRealm().orElseThrow(() -> new IllegalStateException("No QBO company connected yet"));
    }

    public boolean isConnected() {
        return companies.anyConnected();
    }
}
