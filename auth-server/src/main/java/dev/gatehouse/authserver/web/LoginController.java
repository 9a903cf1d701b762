package dev.gatehouse.authserver.web;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.WebAttributes;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import dev.gatehouse.authserver.tenant.DatabaseConnection;
import dev.gatehouse.authserver.tenant.LoginSettings;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

/**
 * The login page. Spring Security's form login handles the POST, its WebAuthn filter the
 * passkey sign-in; the page offers passkeys as the user database's {@code challenge_ui}
 * says (a button, the browser's autofill, or both).
 */
@Controller
class LoginController {

    private final LoginSettings settings;

    LoginController(LoginSettings settings) {
        this.settings = settings;
    }

    static final String WRONG_CREDENTIALS = "Wrong email or password.";
    static final String THROTTLED = "Too many attempts. Wait a moment and try again.";

    @GetMapping("/login")
    String login(HttpServletRequest request, Model model) {
        if (request.getParameter("error") != null) {
            HttpSession session = request.getSession(false);
            Object failure = session == null ? null : session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
            model.addAttribute("error", message(failure));
        }
        DatabaseConnection database = this.settings.database();
        model.addAttribute("passkeys", database.passkeyEnabled());
        model.addAttribute("passkeyButton", database.passkeyEnabled() && !"autofill".equals(database.challengeUi()));
        model.addAttribute("passkeyAutofill", database.passkeyEnabled() && !"button".equals(database.challengeUi()));
        return "login";
    }

    /**
     * The same text for an unknown email and a wrong password (no user enumeration);
     * throttling says so, since a locked-out user must know to wait.
     */
    static String message(Object failure) {
        if (failure == null || failure instanceof BadCredentialsException
                || failure instanceof InternalAuthenticationServiceException
                || !(failure instanceof AuthenticationException)) {
            return WRONG_CREDENTIALS;
        }
        String type = failure.getClass().getSimpleName();
        if (type.contains("Locked") || type.contains("Throttl") || type.contains("TooMany")) {
            return THROTTLED;
        }
        return WRONG_CREDENTIALS;
    }

}
