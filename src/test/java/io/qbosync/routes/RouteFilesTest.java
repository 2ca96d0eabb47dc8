package io.qbosync.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

/**
 * Loads every {@code routes/*.camel.yaml} with Camel's own YAML loader, and checks the house rules a newcomer relies
 * on: every route's id is its file name (or starts with it), every route has a description, and every route
 * configuration a route names exists.
 */
class RouteFilesTest {

    private static List<Path> routeFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            return files.filter(p -> p.toString().endsWith(".camel.yaml")).sorted().toList();
        }
    }

    @Test
    void everyRouteFileLoadsAndFollowsTheConventions() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            List<Path> files = routeFiles();
            assertThat(files).isNotEmpty();
            for (Path file : files) {
                Resource resource = ResourceHelper.fromString(file.getFileName().toString(), Files.readString(file));
                PluginHelper.getRoutesLoader(camel).loadRoutes(resource);
            }
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
                                .contains(id.trim());
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
}
