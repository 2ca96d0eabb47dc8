package io.qbosync.matching;

import io.qbosync.source.feed.NameKeys;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.springframework.stereotype.Component;

import io.qbosync.gateway.QboGateway;
import io.qbosync.store.QboIndexRepository;
import io.qbosync.store.QboIndexRepository.IndexedItem;
import io.qbosync.sync.SyncHeaders;
import io.qbosync.sync.SyncRejection;
import io.qbosync.sync.SyncWork;

/**
 * Finds the QBO item for an invoice's mapped SKU: by {@code Sku}, then by {@code Name}, first among the items imported
 * at onboarding ({@link QboIndexRepository}, no QBO request), then in QBO itself (an item added since). Found ids are
 * cached per company; a missing item fails the invoice with ITEM_NOT_FOUND rather than creating a guess. An item QBO
 * reports deleted or inactive is dropped from cache and index ({@link #forget(String, String)}).
 * Sets header {@value SyncHeaders#ITEM_ID}.
 */
@Component("itemResolver")
public class ItemResolver {


    private final QboGateway qbo;
    private final QboIndexRepository index;
    private final Map<String, String> cache = new ConcurrentHashMap<>();

    public ItemResolver(QboGateway qbo, QboIndexRepository index) {
        this.qbo = qbo;
        this.index = index;
    }

    public void forInvoice(@ExchangeProperty(SyncHeaders.WORK) SyncWork work, Exchange exchange) {
        String sku = work.payload().path("mapping").path("itemSku").asText();
        exchange.getIn().setHeader(SyncHeaders.ITEM_ID, itemId(work.realmId(), sku, work.payload().path("mapping").path("rule").asText()));
    }

    String itemId(String realmId, String sku, String rule) {
        String key = realmId + "/" + sku;
        String cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        List<String> indexed = index.itemsBySku(realmId, NameKeys.sku(sku)).stream().map(IndexedItem::qboId).toList();
        if (indexed.isEmpty()) {
            indexed = index.itemsByName(realmId, NameKeys.name(sku)).stream().map(IndexedItem::qboId).toList();
        }
        if (indexed.size() == 1) {
            cache.put(key, indexed.get(0));
            return indexed.get(0);
        }
        List<Map<String, Object>> found = qbo.query(realmId, "SELECT * FROM Item WHERE Sku = " + QboGateway.quote(sku));
        if (found.isEmpty()) {
            found = qbo.query(realmId, "SELECT * FROM Item WHERE Name = " + QboGateway.quote(sku));
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

    /** Forgets cached ids and the imported item {@code staleItemId}, after QBO reported it deleted or inactive. */
    public void forget(String realmId, String staleItemId) {
        cache.keySet().removeIf(k -> k.startsWith(realmId + "/"));
        if (staleItemId != null) {
            index.forgetItem(realmId, staleItemId);
        }
    }
}
