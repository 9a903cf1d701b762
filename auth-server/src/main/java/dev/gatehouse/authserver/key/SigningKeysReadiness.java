package dev.gatehouse.authserver.key;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Part of readiness ({@code management.endpoint.health.group.readiness}): an instance
 * whose signing keys were last read longer ago than the pre-publication period, and
 * cannot read them now, is taken out of the balancer. Its JWKS could lack the key the
 * other instances sign with, and an API that fetched it would refuse their tokens.
 */
class SigningKeysReadiness implements HealthIndicator {

    private final SigningKeyService keys;

    SigningKeysReadiness(SigningKeyService keys) {
        this.keys = keys;
    }

    @Override
    public Health health() {
        return this.keys.holdsEveryKeyInUse() ? Health.up().build() : Health.down().build();
    }

}
