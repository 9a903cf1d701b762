package dev.gatehouse.testkit.readme;

import java.util.Map;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The README's Spring Boot resource server under test: Spring Boot's own JWT support,
 * configured by {@code spring.security.oauth2.resourceserver.jwt.*}.
 */
@SpringBootApplication
@RestController
public class MessagesApplication {

    @GetMapping("/api/messages")
    Map<String, String> messages() {
        return Map.of("text", "Hello");
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests.anyRequest().hasAuthority("SCOPE_read:messages"))
            .oauth2ResourceServer(resourceServer -> resourceServer.jwt(Customizer.withDefaults()));
        return http.build();
    }

}
