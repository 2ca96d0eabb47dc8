package io.qbosync.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Shows an {@link UnsafeStartException} as Spring Boot's short "APPLICATION FAILED TO START" block, not a stack trace. */
public class UnsafeStartFailureAnalyzer extends AbstractFailureAnalyzer<UnsafeStartException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnsafeStartException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Fix the configuration named above; docs/security.md (\"Start-up refusals\") lists every refusal.",
                cause);
    }
}
