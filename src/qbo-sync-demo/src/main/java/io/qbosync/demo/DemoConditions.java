package io.qbosync.demo;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

import io.qbosync.config.DeploymentMode;

/**
 * When the demo's parts may start, read the way every start-up check reads it ({@link DeploymentMode}): a real
 * company is {@code qbo.company.realm-id} or any {@code qbo.companies.<key>.realm-id}, so naming a company only under
 * {@code qbo.companies.*} keeps the sandbox off just as well.
 */
final class DemoConditions {

    private DemoConditions() {
    }

    /** No real QBO company is configured. */
    static final class NoRealCompany implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !DeploymentMode.realCompany(context.getEnvironment());
        }
    }

    /** No real company, or one explicitly allowed to take the sample ({@code qbosync.safety.allow-sample-into-real-company}). */
    static final class SampleAllowed implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !DeploymentMode.realCompany(context.getEnvironment()) || context.getEnvironment()
                    .getProperty("qbosync.safety.allow-sample-into-real-company", Boolean.class, false);
        }
    }
}
