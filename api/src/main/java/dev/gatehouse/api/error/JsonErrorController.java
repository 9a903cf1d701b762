package dev.gatehouse.api.error;

import java.io.IOException;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Boot's error page for everything the servlet container or Spring MVC answers
 * with an error (404 for an unknown path, 405 for a wrong method, 400 for a request the
 * firewall rejects, 500 for a bug): the API's JSON shape with a fixed text per status,
 * never an exception message, a stack trace or a whitelabel page.
 */
@RestController
class JsonErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int status = (request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code && code >= 400)
                ? code : HttpServletResponse.SC_NOT_FOUND;
        ErrorResponses.write(response, status, errorCode(status), description(status));
    }

    static String errorCode(int status) {
        return switch (status) {
            case 400 -> "invalid_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 413, 431 -> "request_too_large";
            case 415 -> "unsupported_media_type";
            case 501 -> "not_implemented";
            case 505 -> "http_version_not_supported";
            default -> (status >= 500) ? "server_error" : "invalid_request";
        };
    }

    static String description(int status) {
        return switch (status) {
            case 400 -> "The request is malformed";
            case 401 -> "This resource requires a bearer access token";
            case 403 -> "Access to this resource is denied";
            case 404 -> "No resource at this path";
            case 405 -> "This method is not allowed on this resource";
            case 406 -> "This resource answers with application/json only";
            case 413, 431 -> "The request is too large";
            case 415 -> "Unsupported content type";
            case 501 -> "This request's method or transfer coding is not supported";
            case 505 -> "This HTTP version is not supported";
            default -> (status >= 500) ? "The server could not handle the request" : "The request was rejected";
        };
    }

}
