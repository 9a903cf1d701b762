package dev.gatehouse.testkit;

import java.util.Map;

/**
 * A successful answer of the token endpoint.
 *
 * @param accessToken {@code access_token}
 * @param tokenType {@code token_type} ({@code Bearer})
 * @param expiresIn {@code expires_in}, seconds
 * @param scope {@code scope}, space-separated; {@code null} when not sent
 * @param idToken {@code id_token}; {@code null} without {@code openid}
 * @param refreshToken {@code refresh_token}; {@code null} unless {@code offline_access}
 * was granted (or on a rotation-less refresh)
 * @param body the whole JSON answer
 */
public record TokenResponse(String accessToken, String tokenType, long expiresIn, String scope, String idToken,
        String refreshToken, Map<String, Object> body) {

    /**
     * From the runtime's answer: the token endpoint's {@code status} and {@code body}, or
     * a flow's {@code error}.
     */
    @SuppressWarnings("unchecked")
    static TokenResponse from(Map<String, Object> answer) {
        if (answer.containsKey("error")) {
            throw new GatehouseFlowException(0, (String) answer.get("error"), (String) answer.get("error_description"));
        }
        int status = ((Number) answer.get("status")).intValue();
        Map<String, Object> body = (Map<String, Object>) answer.get("body");
        if (status != 200 || !(body.get("access_token") instanceof String accessToken)) {
            throw new GatehouseFlowException(status, (String) body.getOrDefault("error", "invalid_response"),
                    (String) body.get("error_description"));
        }
        Object expiresIn = body.get("expires_in");
        return new TokenResponse(accessToken, (String) body.get("token_type"),
                (expiresIn instanceof Number n) ? n.longValue() : 0, (String) body.get("scope"),
                (String) body.get("id_token"), (String) body.get("refresh_token"), Map.copyOf(body));
    }

    /** Leaves the tokens out: a test report should not carry them. */
    @Override
    public String toString() {
        return "TokenResponse[tokenType=" + this.tokenType + ", expiresIn=" + this.expiresIn + ", scope=" + this.scope
                + ", idToken=" + (this.idToken != null) + ", refreshToken=" + (this.refreshToken != null) + "]";
    }

}
