package io.qbosync.component.qbo.springboot;

import io.qbosync.component.qbo.QboComponent;
import org.apache.camel.Component;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.spring.boot.ComponentConfigurationProperties;
import org.apache.camel.spring.boot.util.CamelPropertiesHelper;
import org.apache.camel.spring.boot.util.ConditionalOnCamelContextAndAutoConfigurationBeans;
import org.apache.camel.spring.boot.util.ConditionalOnHierarchicalProperties;
import org.apache.camel.spring.boot.util.HierarchicalPropertiesEvaluator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Lazy;

/**
 * Applies the {@code camel.component.qbo.*} keys to the qbo component, whether Camel creates it (from the
 * component's service file) or the application defines it as a bean, as Camel's own starters do: through a
 * {@link ComponentCustomizer} that Camel runs when the component is added to the context.
 * {@code camel.component.qbo.enabled=false} (or {@code camel.component.enabled=false}) drops this configuration;
 * {@code camel.component.qbo.customizer.enabled=false} keeps the keys bound but leaves the component alone.
 *
 * <p>No QboClient, rate governor or token provider beans: the component builds its own client from these keys
 * when it has none, and autowires the single bean of each type an application defines. A starter-made client
 * would be a second place for base URL, minor version and timeouts, and would override the keys when autowired.
 */
@AutoConfiguration(after = CamelAutoConfiguration.class)
@Conditional(ConditionalOnCamelContextAndAutoConfigurationBeans.class)
@EnableConfigurationProperties({ComponentConfigurationProperties.class, QboComponentConfiguration.class})
@ConditionalOnHierarchicalProperties({"camel.component", "camel.component.qbo"})
public class QboComponentAutoConfiguration {

    /** Named like Camel's generated customizers; an application bean of this name replaces it. */
    @Lazy
    @Bean
    @ConditionalOnMissingBean(name = "configureQboComponent")
    public ComponentCustomizer configureQboComponent(ApplicationContext applicationContext,
                                                     QboComponentConfiguration configuration) {
        return new ComponentCustomizer() {
            @Override
            public void configure(String name, Component target) {
                // Null (unset) keys are skipped, so values the component already has stay.
                CamelPropertiesHelper.copyProperties(target.getCamelContext(), configuration, target);
            }

            @Override
            public boolean isEnabled(String name, Component target) {
                return HierarchicalPropertiesEvaluator.evaluate(applicationContext, "camel.component.customizer",
                        "camel.component.qbo.customizer") && target instanceof QboComponent;
            }
        };
    }
}
