package dev.gatehouse.authserver.web;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.View;

import dev.gatehouse.authserver.authorize.AuthorizationResponses;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every error becomes a small HTML page with a plain explanation: never a stack trace or
 * an exception message. Authorization errors that cannot go back to a client (unknown
 * client, unregistered redirect URI) name the problem; anything else gets a generic text.
 *
 * <p>
 * At the {@link JsonEndpoints} the same error is an OAuth error object instead: what the
 * container or a filter refused before the endpoint could answer (a parameter that cannot
 * be decoded, an unsupported method, too many parameters) reaches a client that reads
 * every answer there as JSON.
 */
@Controller
class ErrorPageController implements ErrorController {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RequestMapping("/error")
    ModelAndView error(HttpServletRequest request, HttpServletResponse response) {
        // Asked for directly, /error is no error of anything: there is nothing here.
        Object statusAttribute = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = statusAttribute instanceof Integer i ? i : HttpStatus.NOT_FOUND.value();
        Object code = request.getAttribute(AuthorizationResponses.ERROR_CODE);
        Object description = request.getAttribute(AuthorizationResponses.ERROR_DESCRIPTION);
        response.setStatus(status);
        if (isJsonEndpoint(request)) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("error", (code != null) ? code : oauthError(status));
            error.put("error_description", (description != null) ? description : generic(status));
            return new ModelAndView(json(error));
        }
        HttpStatus resolved = HttpStatus.resolve(status);
        ModelAndView page = new ModelAndView("error");
        page.addObject("status", status);
        page.addObject("error", code != null ? code : resolved != null ? resolved.getReasonPhrase() : "Error");
        page.addObject("description", description != null ? description : generic(status));
        return page;
    }

    private static boolean isJsonEndpoint(HttpServletRequest request) {
        if (!(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri)) {
            return false;
        }
        String path = uri.substring(Math.min(request.getContextPath().length(), uri.length()));
        return JsonEndpoints.matchesPath(path);
    }

    private static View json(Map<String, Object> error) {
        return new View() {
            @Override
            public String getContentType() {
                return MediaType.APPLICATION_JSON_VALUE;
            }

            @Override
            public void render(Map<String, ?> model, HttpServletRequest request, HttpServletResponse response)
                    throws Exception {
                response.setContentType(MediaType.APPLICATION_JSON_VALUE);
                response.setCharacterEncoding("UTF-8");
                response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
                response.getWriter().write(JSON.writeValueAsString(error));
            }
        };
    }

    /** The OAuth error code (RFC 6749 section 5.2) closest to an HTTP status. */
    private static String oauthError(int status) {
        if (status == HttpStatus.SERVICE_UNAVAILABLE.value()) {
            return "temporarily_unavailable";
        }
        if (status >= 500) {
            return "server_error";
        }
        if (status == HttpStatus.FORBIDDEN.value()) {
            return "access_denied";
        }
        return "invalid_request";
    }

    private static String generic(int status) {
        if (status == 404) {
            return "There is nothing at this address.";
        }
        if (status == 403) {
            return "This request is not allowed.";
        }
        if (status == 405) {
            return "This method is not allowed here.";
        }
        if (status >= 500) {
            return "Something went wrong on our side. Please try again.";
        }
        return "The request could not be understood.";
    }

}
