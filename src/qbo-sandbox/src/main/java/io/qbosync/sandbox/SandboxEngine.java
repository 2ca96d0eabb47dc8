package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The sandbox's state machine, independent of HTTP: realms in memory, write transactions that reach H2
 * before the answer, realm lifecycle (create, seed, reset, delete), CompanyInfo and Preferences.
 */
final class SandboxEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SandboxEngine.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Entity types a seed document may carry, in the order they are applied. */
    static final List<String> SEED_ORDER = List.of("Account", "Item", "Vendor", "Employee", "Customer", "Invoice", "Payment");

    final SandboxSettings settings;
    final CompanyClock clock;
    final SandboxStore store;
    final EntityCatalog catalog = new EntityCatalog();
    final EntityService entities = new EntityService();
    final QueryEngine queries;
    final FaultInjector faults;
    final TokenService tokens;
    private final Map<String, RealmState> realms = new ConcurrentHashMap<>();

    /** One write transaction: changes go to memory at once and to H2 at {@link SandboxEngine#write} end. */
    static final class WriteTx implements Consumer<Change> {
        private final RealmState realm;
        final List<Change> changes = new ArrayList<>();
        String requestId;
        SandboxStore.LoggedResponse response;

        WriteTx(RealmState realm) {
            this.realm = realm;
        }

        @Override
        public void accept(Change change) {
            realm.put(change.rules(), change.stored());
            changes.add(change);
        }

        /** Records the answer for {@code requestid} replay in the same transaction as the write. */
        void logResponse(String id, int status, String body) {
            this.requestId = id;
            this.response = new SandboxStore.LoggedResponse(status, body);
        }
    }

    @FunctionalInterface
    interface WriteWork<T> {
        T run(WriteTx tx);
    }

    SandboxEngine(SandboxSettings settings) {
        this.settings = settings;
        this.clock = new CompanyClock(settings.clock(), settings.companyZone());
        this.store = new SandboxStore(settings.dataDir());
        try {
            this.queries = new QueryEngine(catalog, clock, this::companyInfo);
            this.faults = new FaultInjector(store, clock);
            this.tokens = new TokenService(store, clock, settings.accessTokenTtl(), faults::effective,
                    id -> {
                        RealmState r = realms.get(id);
                        return r == null ? null : r.clientId();
                    });
            for (SandboxStore.RealmRow row : store.loadRealms()) {
                RealmState realm = new RealmState(row.id(), row.seq(), row.name(), row.clientId(), row.createdMs(),
                        row.preferences() == null ? defaultPreferences(row.createdMs()) : Json.parseObject(row.preferences()));
                loadEntities(realm);
                store.loadRequestKeys(realm.id(), realm.requestKeys::add);
                realms.put(realm.id(), realm);
                faults.load(realm.id(), FaultSettings.fromJson(row.faults()));
            }
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        LOG.info("QBO sandbox state loaded: {} realm(s) from {}", realms.size(), settings.dataDir().toAbsolutePath());
    }

    RealmState realm(String id) {
        return id == null ? null : realms.get(id);
    }

    Collection<RealmState> realms() {
        return realms.values();
    }

    /**
     * Runs {@code work} under the realm's write lock and commits its changes (and logged response) in one
     * H2 transaction before the lock is released. If the work fails after changing memory, or the commit
     * fails, the realm is reloaded from H2 so memory never runs ahead of the database.
     */
    <T> T write(RealmState realm, WriteWork<T> work) {
        realm.lock.writeLock().lock();
        try {
            WriteTx tx = new WriteTx(realm);
            T result;
            try {
                result = work.run(tx);
            } catch (RuntimeException e) {
                if (!tx.changes.isEmpty()) {
                    reload(realm);
                }
                throw e;
            }
            if (!tx.changes.isEmpty() || tx.requestId != null) {
                List<SandboxStore.EntityRow> rows = new ArrayList<>(tx.changes.size());
                for (Change c : tx.changes) {
                    Stored s = c.stored();
                    rows.add(new SandboxStore.EntityRow(c.rules().name(), s.id(), s.deleted(), s.updatedMs(),
                            Json.write(s.node())));
                }
                try {
                    store.commit(realm.seq(), realm.id(), rows, tx.requestId, tx.response, clock.nowMillis());
                    if (tx.requestId != null) {
                        realm.requestKeys.add(SandboxStore.requestKey(realm.seq(), tx.requestId));
                    }
                } catch (RuntimeException e) {
                    LOG.error("sandbox commit failed for realm {}; reloading it from the database", realm.id(), e);
                    reload(realm);
                    throw Faults.systemFailure("the sandbox could not store the change");
                }
            }
            return result;
        } finally {
            realm.lock.writeLock().unlock();
        }
    }

    private void reload(RealmState realm) {
        realm.clear();
        loadEntities(realm);
        realm.requestKeys.clear();
        store.loadRequestKeys(realm.id(), realm.requestKeys::add);
    }

    /** The logged answer for {@code requestId}, or null. Caller holds the realm's write lock. */
    SandboxStore.LoggedResponse loggedResponse(RealmState realm, String requestId) {
        if (!realm.requestKeys.contains(SandboxStore.requestKey(realm.seq(), requestId))) {
            return null;
        }
        return store.findRequest(realm.seq(), realm.id(), requestId);
    }

    private void loadEntities(RealmState realm) {
        store.loadEntities(realm.seq(), row -> {
            EntityRules rules = catalog.find(row.type());
            if (rules != null) {
                realm.put(rules, new Stored(Json.parseObject(row.body()), row.deleted(), row.updatedMs()));
            }
        });
    }

    // ---- realm lifecycle ----

    record CreatedRealm(RealmState realm, TokenService.Issued tokens, String clientId, String clientSecret) {
    }

    /**
     * Creates a company. A client id/secret pair may be given (several realms can share one app); otherwise
     * a new one is made. With {@code defaultAccounts} the realm starts with a small chart of accounts.
     */
    synchronized CreatedRealm createRealm(String name, String clientId, String clientSecret, boolean defaultAccounts) {
        String id;
        do {
            id = "9" + String.format("%015d", Math.floorMod(RANDOM.nextLong(), 1_000_000_000_000_000L));
        } while (realms.containsKey(id));
        String cid = clientId == null || clientId.isBlank() ? TokenService.newClientId() : clientId;
        String secret = clientSecret;
        if (tokens.knowsClient(cid)) {
            if (secret != null && !tokens.verifyClient(cid, secret)) {
                throw new IllegalArgumentException("clientId exists with a different clientSecret");
            }
        } else {
            if (secret == null || secret.isBlank()) {
                secret = TokenService.newSecret();
            }
            tokens.registerClient(cid, secret);
        }
        long now = clock.nowMillis();
        String realmName = name == null || name.isBlank() ? "Sandbox Company " + id.substring(id.length() - 4) : name;
        ObjectNode prefs = defaultPreferences(now);
        int seq = store.insertRealm(new SandboxStore.RealmRow(id, 0, realmName, cid, now, Json.write(prefs), null));
        RealmState realm = new RealmState(id, seq, realmName, cid, now, prefs);
        realms.put(id, realm);
        faults.load(id, null);
        if (defaultAccounts) {
            addDefaultAccounts(realm);
        }
        TokenService.Issued issued = tokens.issue(id);
        LOG.info("sandbox realm {} created ({})", id, realmName);
        return new CreatedRealm(realm, issued, cid, secret);
    }

    /** Wipes entities, request log, faults and preferences; keeps id, name, client and tokens. */
    void resetRealm(RealmState realm, boolean defaultAccounts) {
        realm.lock.writeLock().lock();
        try {
            store.wipeRealm(realm.seq(), realm.id(), false);
            realm.requestKeys.clear();
            ObjectNode prefs = defaultPreferences(realm.createdMs());
            store.updateRealmColumn(realm.id(), "preferences", Json.write(prefs));
            realm.preferences(prefs);
            faults.setOwn(realm.id(), null);
            realm.clear();
        } finally {
            realm.lock.writeLock().unlock();
        }
        if (defaultAccounts) {
            addDefaultAccounts(realm);
        }
    }

    void deleteRealm(RealmState realm) {
        realm.lock.writeLock().lock();
        try {
            store.wipeRealm(realm.seq(), realm.id(), true);
            realms.remove(realm.id());
            faults.forget(realm.id());
            tokens.forgetRealm(realm.id());
            realm.clear();
        } finally {
            realm.lock.writeLock().unlock();
        }
    }

    private void addDefaultAccounts(RealmState realm) {
        String[][] accounts = {
            {"Accounts Receivable (A/R)", "Accounts Receivable", "AccountsReceivable"},
            {"Undeposited Funds", "Other Current Asset", "UndepositedFunds"},
            {"Checking", "Bank", "Checking"},
            {"Services", "Income", "ServiceFeeIncome"},
            {"Sales of Product Income", "Income", "SalesOfProductIncome"},
            {"Cost of Goods Sold", "Cost of Goods Sold", "SuppliesMaterialsCogs"},
            {"Inventory Asset", "Other Current Asset", "Inventory"},
        };
        EntityRules account = catalog.byName("Account");
        write(realm, tx -> {
            WriteContext ctx = new WriteContext(realm, catalog, clock, false, false);
            for (String[] a : accounts) {
                ObjectNode o = Json.object();
                o.put("Name", a[0]);
                o.put("AccountType", a[1]);
                o.put("AccountSubType", a[2]);
                entities.create(ctx, account, o, tx);
            }
            return null;
        });
    }

    /**
     * Applies a seed document ({@code {"Account":[…],"Item":[…],…}}) in {@link #SEED_ORDER} through the API's
     * validation, resolving name-only references. All or nothing: a fault undoes the whole seed.
     */
    Map<String, List<String>> seed(RealmState realm, ObjectNode doc, boolean allowDuplicateDocNumber) {
        Iterator<String> keys = doc.fieldNames();
        while (keys.hasNext()) {
            String k = keys.next();
            if (!SEED_ORDER.contains(k)) {
                throw new IllegalArgumentException("cannot seed '" + k + "'; allowed: " + SEED_ORDER);
            }
        }
        return write(realm, tx -> {
            WriteContext ctx = new WriteContext(realm, catalog, clock, allowDuplicateDocNumber, true);
            Map<String, List<String>> created = new java.util.LinkedHashMap<>();
            for (String type : SEED_ORDER) {
                JsonNode list = doc.get(type);
                if (list == null || list.isNull()) {
                    continue;
                }
                if (!list.isArray()) {
                    throw new IllegalArgumentException(type + " must be an array");
                }
                EntityRules rules = catalog.byName(type);
                List<String> ids = new ArrayList<>();
                int index = 0;
                for (JsonNode item : list) {
                    if (!item.isObject()) {
                        throw new IllegalArgumentException(type + "[" + index + "] must be an object");
                    }
                    ObjectNode body = ((ObjectNode) item).deepCopy();
                    body.remove("Id");
                    try {
                        ids.add(entities.create(ctx, rules, body, tx).get("Id").asText());
                    } catch (QboFault f) {
                        throw new SeedFault(type, index, f);
                    }
                    index++;
                }
                created.put(type, ids);
            }
            return created;
        });
    }

    /** A seed item failed validation; names the entity type and index. */
    static final class SeedFault extends RuntimeException {
        final String entity;
        final int index;
        final QboFault fault;

        SeedFault(String entity, int index, QboFault fault) {
            super(entity + "[" + index + "]: " + fault.getMessage(), null, false, false);
            this.entity = entity;
            this.index = index;
            this.fault = fault;
        }
    }

    void mergePreferences(RealmState realm, ObjectNode patch) {
        realm.lock.writeLock().lock();
        try {
            ObjectNode prefs = realm.preferences().deepCopy();
            deepMerge(prefs, patch);
            prefs.put("SyncToken", EntityRules.nextSyncToken(prefs.path("SyncToken").asText("0")));
            ((ObjectNode) prefs.get("MetaData")).put("LastUpdatedTime", clock.metaTime(clock.nowMillis()));
            store.updateRealmColumn(realm.id(), "preferences", Json.write(prefs));
            realm.preferences(prefs);
        } finally {
            realm.lock.writeLock().unlock();
        }
    }

    private static void deepMerge(ObjectNode target, ObjectNode patch) {
        patch.fields().forEachRemaining(e -> {
            JsonNode existing = target.get(e.getKey());
            if (existing instanceof ObjectNode t && e.getValue() instanceof ObjectNode p) {
                deepMerge(t, p);
            } else if (!EntityRules.SERVER_FIELDS.contains(e.getKey())) {
                target.set(e.getKey(), e.getValue().deepCopy());
            }
        });
    }

    ObjectNode defaultPreferences(long createdMs) {
        ObjectNode p = Json.object();
        ObjectNode acct = p.putObject("AccountingInfoPrefs");
        acct.put("TrackDepartments", false);
        acct.put("ClassTrackingPerTxn", false);
        acct.put("CustomerTerminology", "Customers");
        ObjectNode sales = p.putObject("SalesFormsPrefs");
        sales.put("CustomTxnNumbers", false);
        sales.put("AllowDiscount", true);
        sales.put("AllowDeposit", false);
        sales.put("AllowShipping", false);
        sales.put("AutoApplyCredit", true);
        sales.put("ETransactionEnabledStatus", "NotApplicable");
        ObjectNode cur = p.putObject("CurrencyPrefs");
        cur.put("MultiCurrencyEnabled", false);
        cur.putObject("HomeCurrency").put("value", "USD");
        ObjectNode tax = p.putObject("TaxPrefs");
        tax.put("UsingSalesTax", true);
        tax.put("PartnerTaxEnabled", true);
        p.put("domain", "QBO");
        p.put("sparse", false);
        p.put("Id", "1");
        p.put("SyncToken", "0");
        ObjectNode md = p.putObject("MetaData");
        md.put("CreateTime", clock.metaTime(createdMs));
        md.put("LastUpdatedTime", clock.metaTime(createdMs));
        return p;
    }

    ObjectNode companyInfo(RealmState realm) {
        ObjectNode c = Json.object();
        c.put("CompanyName", realm.name());
        c.put("LegalName", realm.name());
        ObjectNode addr = c.putObject("CompanyAddr");
        addr.put("Id", "1");
        addr.put("Line1", "1 Sandbox Way");
        addr.put("City", "Mountain View");
        addr.put("CountrySubDivisionCode", "CA");
        addr.put("PostalCode", "94043");
        addr.put("Country", "US");
        c.put("Country", "US");
        c.putObject("Email").put("Address", "noreply@sandbox.invalid");
        c.put("CompanyStartDate", java.time.LocalDate.ofInstant(java.time.Instant.ofEpochMilli(realm.createdMs()),
                clock.zone()).toString());
        c.put("FiscalYearStartMonth", "January");
        c.put("SupportedLanguages", "en");
        c.put("domain", "QBO");
        c.put("sparse", false);
        c.put("Id", "1");
        c.put("SyncToken", "0");
        ObjectNode md = c.putObject("MetaData");
        md.put("CreateTime", clock.metaTime(realm.createdMs()));
        md.put("LastUpdatedTime", clock.metaTime(realm.createdMs()));
        return c;
    }

    @Override
    public void close() {
        store.close();
    }
}
