package io.qbosync.connect;

import java.util.Set;

/**
 * The company keys invoices can be routed to, for {@link RealmProvisioner} to connect at start-up. Implemented by the
 * mapping (its {@code companies:} section), so that connecting companies does not depend on how records are mapped.
 */
public interface RoutedCompanies {

    /** Every company key an invoice can be routed to, in the mapping file's order. */
    Set<String> companyKeys();
}
