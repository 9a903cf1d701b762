package dev.gatehouse.authserver.web;

import java.io.IOException;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.WebContext;
import org.thymeleaf.web.servlet.JakartaServletWebApplication;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Turns "the database is away" into a clean {@code 503 Service Unavailable} with
 * {@code Retry-After}, whatever endpoint met it: an OAuth {@code temporarily_unavailable}
 * JSON error at the {@link JsonEndpoints} (spa-js reads every answer there as JSON), the
 * error page everywhere else. Without it a PostgreSQL restart surfaced as HTML 500 pages,
 * also at {@code /oauth/token}.
 *
 * <p>
 * It sits before Spring Session's filter, which needs the database for every request with
 * a session cookie. Only failures to reach the database are translated; a bug stays a
 * 500. Nothing is retried here: a balancer retries an idempotent request elsewhere, and
 * clients retry after {@code Retry-After}. A failure after the answer was sent changes
 * nothing for the client and is logged in one line.
 */
public class DatabaseUnavailableFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(DatabaseUnavailableFilter.class);

    private final ITemplateEngine templates;

    public DatabaseUnavailableFilter(ITemplateEngine templates) {
        this.templates = templates;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        }
        catch (RuntimeException | ServletException | IOException ex) {
            Throwable outage = DatabaseOutage.causeOf(ex);
            if (outage == null) {
                throw ex;
            }
            if (response.isCommitted()) {
                // The answer was sent and what failed came after it (Spring Session
                // saves once more as its filter ends): rethrown, it would only add the
                // container's stack trace.
                log.warn("Database unavailable after the answer to {} {} was sent: {}", request.getMethod(),
                        request.getRequestURI(), outage.getMessage());
                return;
            }
            log.warn("Database unavailable, answered 503 to {} {}: {}", request.getMethod(), request.getRequestURI(),
                    outage.getMessage());
            answer(request, response);
        }
    }

    private void answer(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.resetBuffer();
        if (JsonEndpoints.matches(request)) {
            TemporarilyUnavailable.json(response);
            return;
        }
        TemporarilyUnavailable.status(response);
        response.setContentType(MediaType.TEXT_HTML_VALUE);
        response.setCharacterEncoding("UTF-8");
        WebContext page = new WebContext(JakartaServletWebApplication.buildApplication(request.getServletContext())
            .buildExchange(request, response), Locale.ENGLISH);
        page.setVariable("status", HttpStatus.SERVICE_UNAVAILABLE.value());
        page.setVariable("error", "temporarily_unavailable");
        page.setVariable("description", "The service is temporarily unavailable. Please try again in a moment.");
        this.templates.process("error", page, response.getWriter());
    }

}
