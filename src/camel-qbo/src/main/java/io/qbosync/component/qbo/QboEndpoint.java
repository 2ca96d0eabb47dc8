package io.qbosync.component.qbo;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Calls the QuickBooks Online Accounting API: create, read, update, void, delete, query, change data capture (cdc)
 * and batch, e.g. qbo:create:Customer, qbo:read:Invoice, qbo:query:Customer, qbo:cdc or qbo:batch.
 * <p>
 * This javadoc is the component's description in the Camel catalog (qbo.json), as the javadoc of each option is the
 * option's: keep it plain text (no inline tags), which the catalog generator does not render.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "qbo", title = "QuickBooks Online", syntax = "qbo:operation:entity",
        producerOnly = true, category = {Category.SAAS, Category.API}, headersClass = QboConstants.class)
public class QboEndpoint extends DefaultEndpoint {

    /** What to do: create, read, update, void, delete, query, cdc or batch. */
    @UriPath(enums = "create,read,update,void,delete,query,cdc,batch")
    @Metadata(required = true)
    private QboOperation operation;

    /**
     * QBO entity name as QBO spells it: Customer, Invoice, Payment, Item, CreditMemo and so on. Required for create,
     * read, update, void and delete; optional for query (names the result key) and cdc (default entity list).
     */
    @UriPath
    private String entity;

    /** The endpoint's options: a copy of the component's configuration changed by the URI parameters. */
    @UriParam
    private QboConfiguration configuration;

    /** Creates the endpoint with its own copy of the configuration. */
    public QboEndpoint(String uri, QboComponent component, QboOperation operation, String entity,
                       QboConfiguration configuration) {
        super(uri, component);
        this.operation = operation;
        this.entity = entity;
        this.configuration = configuration;
    }

    @Override
    public QboComponent getComponent() {
        return (QboComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new QboProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("The qbo component has no consumer; use qbo:cdc on a timer");
    }

    public QboOperation getOperation() {
        return operation;
    }

    public String getEntity() {
        return entity;
    }

    public QboConfiguration getConfiguration() {
        return configuration;
    }
}
