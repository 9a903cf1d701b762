package dev.gatehouse.authserver.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.thymeleaf.TemplateEngine;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletResponse;

/**
 * What the filter does with a database failure that comes after the answer was sent (a
 * session saved again as Spring Session's filter ends) and with one that is no outage.
 */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseUnavailableFilterTests {

    private final DatabaseUnavailableFilter filter = new DatabaseUnavailableFilter(new TemplateEngine());

    @Test
    void outageAfterTheAnswerWasSentKeepsTheAnswerAndIsLoggedInOneLine(CapturedOutput output) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/authorize");
        MockHttpServletResponse response = new MockHttpServletResponse();
        FilterChain redirectThenOutage = (req, res) -> {
            ((HttpServletResponse) res).sendRedirect("/login");
            throw new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection");
        };

        this.filter.doFilter(request, response, redirectThenOutage);

        assertThat(response.getStatus()).isEqualTo(302);
        assertThat(response.getRedirectedUrl()).isEqualTo("/login");
        assertThat(output.getAll()).contains("Database unavailable after the answer to GET /authorize was sent")
            .doesNotContain("\tat ");
    }

    @Test
    void failureThatIsNoOutageAfterTheAnswerWasSentIsRethrown() {
        MockHttpServletResponse response = new MockHttpServletResponse();
        FilterChain redirectThenBug = (req, res) -> {
            ((HttpServletResponse) res).sendRedirect("/login");
            throw new IllegalStateException("a bug");
        };

        assertThatThrownBy(
                () -> this.filter.doFilter(new MockHttpServletRequest("GET", "/authorize"), response, redirectThenBug))
            .isInstanceOf(IllegalStateException.class);
    }

}
