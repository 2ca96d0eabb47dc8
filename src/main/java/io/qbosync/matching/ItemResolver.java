package io.qbosync.matching;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.springframework.stereotype.Component;

import io.qbosync.component.qbo.client.QboClient;
import io.qbosync.sync.SyncRejection;
import io.qbosync.sync.SyncWork;

/**
 * Finds the QBO item for an invoice's mapped SKU: by {@code Sku}, then by {@code Name}. Found ids are cached per
 * company; a missing item fails the invoice with ITEM_NOT_FOUND rather than creating a guess.
 * Sets header {@value #ITEM_ID}.
 */
@Component("itemResolver")
public class ItemResolver {

    public static final String ITEM_ID = "qboItemId";

    private final QboClient qbo;
    private final Map<String, String> cache = new ConcurrentHashMap<>();

    public ItemResolver(QboClient qbo) {
        this.qbo = qbo;
    }

    public void forInvoice(@ExchangeProperty(SyncWork.PROPERTY) SyncWork work, Exchange exchange) {
        String sku = work.payload().path("mapping").path("itemSku").asText();
        exchange.getIn().setHeader(ITEM_ID, itemId(work.realmId(), sku, work.payload().path("mapping").path("rule").asText()));
    }

    String itemId(String realmId, String sku, String rule) {
        String key = realmId + "/" + sku;
        String cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        List<Map<String, Object>> found = qbo.query(realmId, "SELECT * FROM Item WHERE Sku = " + QboQueries.quote(sku));
        if (found.isEmpty()) {
            found = qbo.query(realmId, "SELECT * FROM Item WHERE Name = " + QboQueries.quote(sku));
        }
        if (found.isEmpty()) {
            throw new SyncRejection("ITEM_NOT_FOUND", "No active QBO item with SKU or name '" + sku + "' (mapping rule "
                    + rule + ")", "Create the item in QBO with that SKU, or change the rule in routes/mappings/qbo-mappings.yaml; then resync.");
        }
        if (found.size() > 1) {
            throw new SyncRejection("ITEM_AMBIGUOUS", found.size() + " QBO items have SKU '" + sku + "'",
                    "Give each QBO item a unique SKU; then resync.");
        }
        String id = String.valueOf(found.get(0).get("Id"));
        cache.put(key, id);
        return id;
    }

    /** Forgets cached ids, e.g. after QBO reported an item as deleted or inactive. */
    public void forget(String realmId) {
        cache.keySet().removeIf(k -> k.startsWith(realmId + "/"));
    }
}
