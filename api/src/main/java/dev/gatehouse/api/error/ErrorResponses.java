package dev.gatehouse.api.error;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletResponse;

/**
 * Writes the API's one error shape, {@code {"error": ..., "error_description": ...}} (the
 * OAuth 2.0 error member names), with fixed, client-safe texts. Callers pass only our own
 * strings; escaping is still done so a future caller cannot break the JSON.
 */
public final class ErrorResponses {

    private ErrorResponses() {
    }

    public static void write(HttpServletResponse response, int status, String error, String description)
            throws IOException {
        byte[] body = ("{\"error\":\"" + escape(error) + "\",\"error_description\":\"" + escape(description) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            }
            else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            }
            else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * A quoted-string value for {@code WWW-Authenticate}: RFC 6750 §3 allows only %x20-21
     * / %x23-5B / %x5D-7E in {@code error_description} and {@code scope}, so anything
     * else is replaced.
     */
    static String headerValue(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append((c >= 0x20 && c <= 0x7E && c != '"' && c != '\\') ? c : '?');
        }
        return out.toString();
    }

}
