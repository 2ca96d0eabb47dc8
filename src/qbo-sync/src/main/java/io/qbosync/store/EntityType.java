package io.qbosync.store;

/** The kinds of record qbo-sync pushes; each has its own queue and push route. */
public enum EntityType {
    CUSTOMER("Customer", "qbo.customers"),
    INVOICE("Invoice", "qbo.invoices"),
    PAYMENT("Payment", "qbo.payments");

    private final String qboName;
    private final String queue;

    EntityType(String qboName, String queue) {
        this.qboName = qboName;
        this.queue = queue;
    }

    /** QBO's entity name, as in {@code qbo:create:Customer}. */
    public String qboName() {
        return qboName;
    }

    /** The Artemis queue the push route consumes. */
    public String queue() {
        return queue;
    }

    /** The key other records use to depend on this one, e.g. {@code CUSTOMER:contact:C-0001}. */
    public String key(String sourceId) {
        return name() + ":" + sourceId;
    }
}
