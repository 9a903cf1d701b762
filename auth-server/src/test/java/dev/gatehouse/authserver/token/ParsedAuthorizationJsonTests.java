package dev.gatehouse.authserver.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Remembering parses must never change what a row reads as: the same text gives equal
 * values, each caller owns its map, and other value types are parsed as before.
 */
class ParsedAuthorizationJsonTests {

    private final ParsedAuthorizationJson mapper = new ParsedAuthorizationJson(2);

    private final JavaType mapType = this.mapper.getTypeFactory()
        .constructMapType(Map.class, String.class, Object.class);

    @Test
    void sameTextReadsAsEqualValuesInMapsOfItsOwn() {
        String attributes = this.mapper.writeValueAsString(
                new java.util.HashMap<>(Map.of("java.security.Principal", UsernamePasswordAuthenticationToken
                    .authenticated("auth0|abc", null, List.of(new SimpleGrantedAuthority("ROLE_USER"))))));

        Map<String, Object> first = this.mapper.readValue(attributes, this.mapType);
        Map<String, Object> second = this.mapper.readValue(attributes, this.mapType);

        assertThat(second).isEqualTo(first).isNotSameAs(first);
        assertThat(first.get("java.security.Principal")).isInstanceOf(UsernamePasswordAuthenticationToken.class);
        first.clear();
        assertThat(this.mapper.<Map<String, Object>>readValue(attributes, this.mapType)).isEqualTo(second);
        // What SAS's default mapper reads from the same text
        JsonMapper plain = JsonMapper.builder()
            .addModules(
                    org.springframework.security.jackson.SecurityJacksonModules.getModules(getClass().getClassLoader()))
            .build();
        assertThat(plain.<Map<String, Object>>readValue(attributes, this.mapType)).isEqualTo(second);
    }

    @Test
    void otherTypesAreParsedAsUsualAndTextsBeyondTheCapacityStillReadCorrectly() {
        String list = this.mapper.writeValueAsString(new java.util.ArrayList<>(List.of("a", "b")));
        assertThat(this.mapper.readValue(list, List.class)).containsExactly("a", "b");
        for (int i = 0; i < 10; i++) {
            String text = this.mapper.writeValueAsString(new java.util.HashMap<>(Map.of("n", "v" + i)));
            assertThat(this.mapper.<Map<String, Object>>readValue(text, this.mapType)).containsEntry("n", "v" + i);
        }
    }

    @Test
    void writingTheValuesJustReadGivesTheirTextAndAnyChangeIsWrittenAfresh() {
        String attributes = this.mapper.writeValueAsString(new java.util.LinkedHashMap<>(
                Map.of("state", "s1", "java.security.Principal", UsernamePasswordAuthenticationToken
                    .authenticated("auth0|abc", null, List.of(new SimpleGrantedAuthority("ROLE_USER"))))));
        Map<String, Object> read = this.mapper.readValue(attributes, this.mapType);

        assertThat(this.mapper.writeValueAsString(new java.util.LinkedHashMap<>(read))).isSameAs(attributes);

        Map<String, Object> changed = new java.util.LinkedHashMap<>(read);
        changed.put("state", "s2");
        String written = this.mapper.writeValueAsString(changed);
        assertThat(written).isNotEqualTo(attributes);
        assertThat(this.mapper.<Map<String, Object>>readValue(written, this.mapType)).containsEntry("state", "s2")
            .containsKey("java.security.Principal");

        Map<String, Object> extra = new java.util.LinkedHashMap<>(read);
        extra.put("nonce", null);
        assertThat(this.mapper.<Map<String, Object>>readValue(this.mapper.writeValueAsString(extra), this.mapType))
            .containsEntry("nonce", null);

        // An equal principal that is another object is not assumed to be the same.
        Map<String, Object> equalCopy = new java.util.LinkedHashMap<>(read);
        equalCopy.put("java.security.Principal", UsernamePasswordAuthenticationToken.authenticated("auth0|abc", null,
                List.of(new SimpleGrantedAuthority("ROLE_USER"))));
        assertThat(this.mapper.writeValueAsString(equalCopy)).isNotSameAs(attributes);
    }

}
