package dev.gatehouse.authserver.web;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.RequestMapping;

import dev.gatehouse.authserver.authorize.AuthorizationResponses;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Every error becomes a small HTML page with a plain explanation: never a stack trace or
 * an exception message. Authorization errors that cannot go back to a client (unknown
 * client, unregistered redirect URI) name the problem; anything else gets a generic text.
 */
@Controller
class ErrorPageController implements ErrorController {

    @RequestMapping("/error")
    String error(HttpServletRequest request, HttpServletResponse response, Model model) {
        Object statusAttribute = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = statusAttribute instanceof Integer i ? i : HttpStatus.INTERNAL_SERVER_ERROR.value();
        Object code = request.getAttribute(AuthorizationResponses.ERROR_CODE);
        Object description = request.getAttribute(AuthorizationResponses.ERROR_DESCRIPTION);
        HttpStatus resolved = HttpStatus.resolve(status);
        model.addAttribute("status", status);
        model.addAttribute("error", code != null ? code : resolved != null ? resolved.getReasonPhrase() : "Error");
        model.addAttribute("description", description != null ? description : generic(status));
        response.setStatus(status);
        return "error";
    }

    private static String generic(int status) {
        if (status == 404) {
            return "There is nothing at this address.";
        }
        if (status == 403) {
            return "This request is not allowed.";
        }
        if (status >= 500) {
            return "Something went wrong on our side. Please try again.";
        }
        return "The request could not be understood.";
    }

}
