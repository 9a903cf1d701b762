package dev.gatehouse.authserver.tenant;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an invalid tenant file as a short list of problems instead of a stack trace.
 */
class TenantFileFailureAnalyzer extends AbstractFailureAnalyzer<TenantFileException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, TenantFileException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Fix the tenant file (gatehouse.tenant-file, env GATEHOUSE_TENANT_FILE) and start again. "
                        + "The supported fields are described in auth-server/README-store.md; "
                        + "auth-server/tenant.example.yaml shows each of them. Values of ##KEY## and @@KEY@@ keywords "
                        + "come from gatehouse.tenant-keywords.mappings-file, AUTH0_KEYWORD_REPLACE_MAPPINGS and the "
                        + "environment variables.",
                null);
    }

}
