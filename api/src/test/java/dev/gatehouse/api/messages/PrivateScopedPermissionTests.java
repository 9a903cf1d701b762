package dev.gatehouse.api.messages;

import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import dev.gatehouse.api.support.ApiAgainstTestIssuer;
import dev.gatehouse.api.support.TestIssuer;

import static dev.gatehouse.api.support.ErrorAssertions.assertCleanErrorBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code gatehouse.api.private-scoped-permission} moves {@code /api/private-scoped} to
 * another API's permission by configuration alone: the rule, the 403 challenge and the
 * answer all follow it, and the quickstart's {@code read:messages} no longer opens it.
 */
@TestPropertySource(properties = "gatehouse.api.private-scoped-permission=read:orders")
class PrivateScopedPermissionTests extends ApiAgainstTestIssuer {

    static final TestIssuer issuer = TestIssuer.start();

    @Test
    void privateScopedWhenTokenCarriesTheConfiguredPermissionThenOk() {
        for (String token : List.of(issuer.token((claims) -> claims.claim("scope", "openid read:orders")),
                issuer.token((claims) -> claims.claim("permissions", List.of("read:orders"))))) {
            HttpResponse<String> response = api().get("/api/private-scoped", token);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body())
                .isEqualTo("{\"msg\":\"Hello from a scoped endpoint: your access token carries read:orders.\"}");
        }
    }

    @Test
    void privateScopedWhenTokenCarriesOnlyTheDefaultPermissionThen403NamingTheConfiguredOne() {
        String token = issuer.token((claims) -> claims.claim("scope", "openid read:messages")
            .claim("permissions", List.of("read:messages")));
        HttpResponse<String> response = api().get("/api/private-scoped", token);
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().allValues("WWW-Authenticate"))
            .containsExactly("Bearer error=\"insufficient_scope\", scope=\"read:orders\"");
        assertCleanErrorBody(response, "insufficient_scope");
    }

}
