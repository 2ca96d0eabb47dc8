package io.qbosync.demo;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import io.qbosync.connect.SandboxCompanySeed;
import io.qbosync.source.sample.SampleQboSeed;

/**
 * Demo wiring: a new QBO sandbox company gets the QBO side of the sample (accounts, items, and the vendor and
 * employee names its contacts clash with), whether the sample runs inside this app or apart from it (several
 * replicas sharing one sample source). Never with a real company configured.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(DemoConditions.NoRealCompany.class)
public class SandboxSeedConfig {

    @Bean
    public SandboxCompanySeed sandboxCompanySeed() {
        return SampleQboSeed::json;
    }
}
