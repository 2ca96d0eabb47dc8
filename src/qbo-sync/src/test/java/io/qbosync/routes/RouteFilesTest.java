package io.qbosync.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Language;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.PatternHelper;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

import io.qbosync.component.qbo.QboConnectionExpiredException;
import io.qbosync.component.qbo.QboConstants;
import io.qbosync.component.qbo.QboError;
import io.qbosync.component.qbo.QboFaultException;
import io.qbosync.component.qbo.QboFaultFamily;
import io.qbosync.component.qbo.QboTransportException;
import io.qbosync.sync.SyncHeaders;

/**
 * Loads every {@code routes/*.camel.yaml} with Camel's own YAML loader, and checks the house rules a newcomer relies
 * on: every route's id is its file name (or starts with it), every route has a description, every route
 * configuration a route names exists, each QBO fault family has exactly one route configuration taking its faults,
 * and every header or exchange property name the YAML shares with Java is declared in {@code SyncHeaders} (or, for the
 * {@code qbo:} component's headers, {@code QboConstants}), so a misspelt name fails here.
 */
class RouteFilesTest {

    /** A {@code sync*}, {@code source*} or {@code Qbo*} name after {@code name:} or in {@code ${header.…}}. */
    private static final Pattern SHARED_NAME = Pattern.compile(
            "(?:\\$\\{(?:in\\.)?(?:header|headers|exchangeProperty)\\.|\\bname:\\s*\"?)"
                    + "((?:sync|source|[qQ]bo)[A-Za-z]*)");

    private static List<Path> routeFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            return files.filter(p -> p.toString().endsWith(".camel.yaml")).sorted().toList();
        }
    }

    @Test
    void everyRouteFileLoadsAndFollowsTheConventions() throws Exception {
        List<Path> files = routeFiles();
        assertThat(files).isNotEmpty();
        try (DefaultCamelContext camel = loadedRoutes()) {
            ModelCamelContext model = camel;
            List<RouteDefinition> routes = model.getRouteDefinitions();
            List<String> configurations = model.getRouteConfigurationDefinitions().stream()
                    .map(RouteConfigurationDefinition::getId).toList();
            assertThat(routes).isNotEmpty();
            for (RouteDefinition route : routes) {
                assertThat(route.getRouteId()).as("route id").isNotBlank();
                assertThat(route.getDescriptionText()).as("description of route %s", route.getRouteId()).isNotBlank();
                String named = route.getRouteConfigurationId();
                if (named != null) {
                    for (String id : named.split(",")) {
                        assertThat(configurations).as("route configurations named by %s", route.getRouteId())
                                .anyMatch(c -> PatternHelper.matchPattern(c, id.trim()));
                    }
                }
            }
            // A newcomer finds a route by its file name: each file holds a route or configuration named like it.
            for (Path file : files) {
                String base = file.getFileName().toString().replace(".camel.yaml", "");
                boolean named = routes.stream().anyMatch(r -> r.getRouteId().equals(base) || r.getRouteId().startsWith(base + "-"))
                        || configurations.contains(base);
                assertThat(named).as("a route or route configuration with id '%s' in %s", base, file).isTrue();
            }
        }
    }

    @Test
    void everyPushRouteAppliesTheRouteConfigurationOfEveryFaultFamily() throws Exception {
        try (DefaultCamelContext camel = loadedRoutes()) {
            for (String push : List.of("qbo-push-customers", "qbo-push-invoices", "qbo-push-payments")) {
                String named = camel.getRouteDefinition(push).getRouteConfigurationId();
                for (QboFaultFamily family : QboFaultFamily.values()) {
                    assertThat(Stream.of(named.split(",")).anyMatch(
                            id -> PatternHelper.matchPattern(family.routeConfiguration(), id.trim())))
                            .as("%s applies %s (%s)", push, family.routeConfiguration(), named).isTrue();
                }
            }
        }
    }

    /**
     * Scheduled work runs on one replica only (docs/operations-infra.md "One active poller"): every route started by
     * a clock consumes through {@code master:qbo-sync-poller:scheduler:}, and the three singletons are exactly those.
     */
    @Test
    void everyScheduledRouteRunsOnTheActivePollerOnly() throws Exception {
        Pattern clock = Pattern.compile("(?:^|:)(?:timer|scheduler|quartz|cron|spring-event):");
        try (DefaultCamelContext camel = loadedRoutes()) {
            List<String> scheduled = new ArrayList<>();
            for (RouteDefinition route : camel.getRouteDefinitions()) {
                String uri = route.getInput().getEndpointUri();
                if (clock.matcher(uri).find()) {
                    assertThat(uri).as("from of %s", route.getRouteId())
                            .startsWith("master:" + io.qbosync.cluster.ClusterConfig.POLLER_NAMESPACE + ":scheduler:");
                    scheduled.add(route.getRouteId());
                }
            }
            assertThat(scheduled).containsExactlyInAnyOrder("source-poll", "sync-resume", "qbo-connection-check");
        }
    }

    /** Faults of every family, and the ones two of the old per-route predicates both matched. */
    private static List<QboFaultException> sampleFaults() {
        List<QboFaultException> faults = new ArrayList<>();
        for (String code : List.of("6240", "6140", "610", "2500", "5010", "2050", "3200", "6190", "3001", "10000",
                "2020", "6000", "500")) {
            faults.add(new QboFaultException(400, "ValidationFault", List.of(new QboError(code, "QBO says no", null,
                    null)), null, null, false, "9130", null, null));
        }
        faults.add(new QboFaultException(429, "SERVICE", List.of(new QboError("6240", "Duplicate Name Exists Error",
                null, null)), null, null, false, "9130", null, null));
        faults.add(new QboFaultException(503, "HTML", List.of(new QboError(null, "503 Service Unavailable", null,
                null)), null, null, true, "9130", null, null));
        faults.add(new QboFaultException(401, "AUTHENTICATION", List.of(), null, null, false, "9130", null, null));
        faults.add(new QboConnectionExpiredException("9130", "invalid_grant", "refresh token revoked"));
        faults.add(new QboTransportException(0, "request timed out", true, null, "9130", null, null));
        return faults;
    }

    @Test
    void eachQboFaultIsTakenByExactlyTheRouteConfigurationOfItsFamily() throws Exception {
        try (DefaultCamelContext camel = loadedRoutes()) {
            Language simple = camel.resolveLanguage("simple");
            for (QboFaultException fault : sampleFaults()) {
                Exchange exchange = new DefaultExchange(camel);
                exchange.setException(fault);
                List<String> takenBy = new ArrayList<>();
                for (RouteConfigurationDefinition config : camel.getRouteConfigurationDefinitions()) {
                    for (OnExceptionDefinition on : config.getOnExceptions()) {
                        boolean forQboFaults = on.getExceptions().contains(QboFaultException.class.getName());
                        if (forQboFaults && (on.getOnWhen() == null || simple.createPredicate(
                                on.getOnWhen().getExpression().getExpression()).matches(exchange))) {
                            takenBy.add(config.getId());
                        }
                    }
                }
                assertThat(takenBy).as("route configurations taking %s", fault).containsExactly(
                        fault.family().routeConfiguration());
            }
        }
    }

    @Test
    void everySharedHeaderOrPropertyNameInTheRoutesIsDeclaredInJava() throws Exception {
        Set<String> declared = new TreeSet<>();
        declared.addAll(stringConstants(SyncHeaders.class));
        declared.addAll(stringConstants(QboConstants.class));
        Map<String, Set<String>> used = new TreeMap<>();
        for (Path file : routeFiles()) {
            for (String name : sharedNames(Files.readString(file))) {
                used.computeIfAbsent(name, n -> new TreeSet<>()).add(file.getFileName().toString());
            }
        }
        assertThat(used).isNotEmpty();
        used.forEach((name, files) -> assertThat(declared)
                .as("'%s' (used in %s) is a constant of SyncHeaders or QboConstants", name, files).contains(name));
    }

    @Test
    void aMisspelledHeaderOrPropertyNameIsFound() {
        String yaml = """
                - setHeader:
                    name: syncPolcy
                - filter:
                    expression:
                      simple:
                        expression: "${header.syncResolvd} == false && ${exchangeProperty.syncWrk.inQbo()}"
                - setHeader:
                    name: Content-Type
                """;
        assertThat(sharedNames(yaml)).containsExactlyInAnyOrder("syncPolcy", "syncResolvd", "syncWrk");
    }

    @Test
    void noRouteReachesIntoJsonPayloads() throws Exception {
        for (Path file : routeFiles()) {
            assertThat(Files.readString(file)).as("%s: ask a bean or SyncWork instead of walking JSON", file)
                    .doesNotContain(".path(", "asText(", "payload()");
        }
    }

    private static DefaultCamelContext loadedRoutes() throws Exception {
        DefaultCamelContext camel = new DefaultCamelContext();
        for (Path file : routeFiles()) {
            Resource resource = ResourceHelper.fromString(file.getFileName().toString(), Files.readString(file));
            PluginHelper.getRoutesLoader(camel).loadRoutes(resource);
        }
        return camel;
    }

    /** Header and exchange property names set or read in route YAML that qbo-sync's Java shares. */
    static Set<String> sharedNames(String yaml) {
        Set<String> names = new TreeSet<>();
        Matcher m = SHARED_NAME.matcher(yaml);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static Set<String> stringConstants(Class<?> type) throws IllegalAccessException {
        Set<String> values = new TreeSet<>();
        for (Field f : type.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                values.add((String) f.get(null));
            }
        }
        return values;
    }
}
