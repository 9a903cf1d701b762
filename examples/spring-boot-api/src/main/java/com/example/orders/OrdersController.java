package com.example.orders;

import java.util.List;
import java.util.Map;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class OrdersController {

    /** Needs the {@code read:orders} scope (see {@link SecurityConfig}). */
    @GetMapping("/api/orders")
    List<Map<String, Object>> orders(@AuthenticationPrincipal Jwt token) {
        return List.of(Map.of("id", 1, "item", "Coffee beans", "customer", token.getSubject()));
    }

    /** Any valid token. */
    @GetMapping("/api/me")
    Map<String, Object> me(@AuthenticationPrincipal Jwt token) {
        return Map.of("sub", token.getSubject());
    }

}
