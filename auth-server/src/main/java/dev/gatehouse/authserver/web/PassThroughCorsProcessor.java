package dev.gatehouse.authserver.web;

import java.io.IOException;

import org.jspecify.annotations.Nullable;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsProcessor;
import org.springframework.web.cors.DefaultCorsProcessor;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Spring's CORS processor, except that a request with no CORS configuration passes
 * untouched at every log level. Spring's does so at its default level, but at
 * {@code DEBUG} it first parses the {@code Origin} header to log it, outside the check
 * that refuses an {@code Origin} that is no URL: a client's malformed header became a 500
 * (static files, a preflight of the login form) for a user who had turned CORS logging on
 * to find out why a browser's call was refused. With a configuration, Spring's processor
 * answers as always (a malformed {@code Origin} is a 403).
 */
public final class PassThroughCorsProcessor implements CorsProcessor {

    private final CorsProcessor spring = new DefaultCorsProcessor();

    @Override
    public boolean processRequest(@Nullable CorsConfiguration configuration, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        return configuration == null || this.spring.processRequest(configuration, request, response);
    }

}
