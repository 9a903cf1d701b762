package dev.gatehouse.testkit.runtime;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** JSON for the bridge: answers and tokens as plain maps, lists, strings and numbers. */
final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private Json() {
    }

    static Map<String, Object> parseObject(String json) {
        return MAPPER.readValue(json, MAP);
    }

    /** {@code header} and {@code claims} of a compact JWS, without checking it. */
    static Map<String, Object> decodeJwt(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            throw new IllegalArgumentException("Not a signed JWT (three dot-separated parts expected)");
        }
        Base64.Decoder decoder = Base64.getUrlDecoder();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("header", parseObject(new String(decoder.decode(parts[0]), StandardCharsets.UTF_8)));
        result.put("claims", parseObject(new String(decoder.decode(parts[1]), StandardCharsets.UTF_8)));
        return result;
    }

}
