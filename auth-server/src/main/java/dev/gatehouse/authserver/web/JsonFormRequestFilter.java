package dev.gatehouse.authserver.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lets {@code /oauth/token} and {@code /oauth/revoke} take JSON bodies as Auth0 does
 * (spa-js with {@code useFormData:false}, auth0-compatibility T-6, T-10): the JSON
 * object's members become request parameters before Spring Authorization Server, which
 * reads only form parameters, sees the request. Non-string values keep their JSON text
 * ({@code "max_age":3600} becomes {@code 3600}); arrays become repeated parameters. A
 * body that is not a JSON object is an {@code invalid_request}, answered in JSON.
 */
public class JsonFormRequestFilter extends OncePerRequestFilter {

    private static final int MAX_BODY = 64 * 1024;

    private final EndpointPaths paths;

    private final JsonMapper json = JsonMapper.builder().build();

    public JsonFormRequestFilter(Set<String> paths) {
        this.paths = EndpointPaths.of(paths);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        if (!"POST".equals(request.getMethod()) || request.getContentType() == null) {
            return true;
        }
        if (!this.paths.matches(request)) {
            return true;
        }
        try {
            return !MediaType.APPLICATION_JSON.isCompatibleWith(MediaType.parseMediaType(request.getContentType()));
        }
        catch (IllegalArgumentException ex) {
            return true;
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        byte[] body = request.getInputStream().readNBytes(MAX_BODY + 1);
        Map<String, String[]> parameters = new LinkedHashMap<>();
        try {
            if (body.length > MAX_BODY) {
                throw new IllegalArgumentException("too large");
            }
            JsonNode root = this.json.readTree(new String(body, StandardCharsets.UTF_8));
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("not an object");
            }
            for (Map.Entry<String, JsonNode> member : root.properties()) {
                JsonNode value = member.getValue();
                if (value.isNull()) {
                    continue;
                }
                if (value.isArray()) {
                    List<String> values = new java.util.ArrayList<>();
                    value.forEach(v -> values.add(v.isString() ? v.asString() : v.toString()));
                    parameters.put(member.getKey(), values.toArray(new String[0]));
                }
                else {
                    parameters.put(member.getKey(),
                            new String[] { value.isString() ? value.asString() : value.toString() });
                }
            }
        }
        catch (RuntimeException ex) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.getWriter()
                .write("{\"error\":\"invalid_request\",\"error_description\":\"The request body is not a JSON object.\"}");
            return;
        }
        chain.doFilter(new FormParameters(request, parameters), response);
    }

    /**
     * The request as SAS expects it: a form post whose parameters are the JSON members.
     */
    private static final class FormParameters extends HttpServletRequestWrapper {

        private final Map<String, String[]> parameters;

        FormParameters(HttpServletRequest request, Map<String, String[]> parameters) {
            super(request);
            this.parameters = Collections.unmodifiableMap(parameters);
        }

        @Override
        public String getContentType() {
            return MediaType.APPLICATION_FORM_URLENCODED_VALUE;
        }

        @Override
        public String getHeader(String name) {
            return "content-type".equalsIgnoreCase(name) ? getContentType() : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return "content-type".equalsIgnoreCase(name) ? Collections.enumeration(List.of(getContentType()))
                    : super.getHeaders(name);
        }

        @Override
        public String getParameter(String name) {
            String[] values = this.parameters.get(name);
            return values == null || values.length == 0 ? null : values[0];
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return this.parameters;
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.enumeration(this.parameters.keySet());
        }

        @Override
        public String[] getParameterValues(String name) {
            return this.parameters.get(name);
        }

    }

}
