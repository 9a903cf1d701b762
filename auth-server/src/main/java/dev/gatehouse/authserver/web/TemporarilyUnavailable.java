package dev.gatehouse.authserver.web;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one answer for "come back in a moment": {@code 503 Service Unavailable} with
 * {@code Retry-After}, and at the OAuth JSON endpoints the
 * {@code temporarily_unavailable} error. Given when the database is away and when the
 * token endpoint's queue is too long.
 */
public final class TemporarilyUnavailable {

    /** Seconds a client should wait before retrying. */
    static final int RETRY_AFTER_SECONDS = 5;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TemporarilyUnavailable() {
    }

    /** Status and headers, for an answer whose body the caller writes. */
    static void status(HttpServletResponse response) {
        response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
        response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS));
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    /** The whole answer at an OAuth JSON endpoint. */
    public static void json(HttpServletResponse response) throws IOException {
        status(response);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        // In the order SAS writes its own errors.
        Map<String, String> error = new LinkedHashMap<>();
        error.put("error", "temporarily_unavailable");
        error.put("error_description", "The service is temporarily unavailable. Try again in a moment.");
        response.getWriter().write(JSON.writeValueAsString(error));
    }

}
