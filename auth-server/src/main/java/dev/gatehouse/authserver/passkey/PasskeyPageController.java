package dev.gatehouse.authserver.passkey;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;

import org.springframework.security.core.Authentication;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.CredentialRecord;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.gatehouse.authserver.login.Factors;
import dev.gatehouse.authserver.login.SavedRequests;
import dev.gatehouse.authserver.login.SecondFactors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The user's passkey pages: the offer to add one after a password login, and the page
 * that lists, renames and deletes them. Adding goes through Spring Security's WebAuthn
 * endpoints (from {@code /js/passkeys.js}); renaming and deleting are plain forms.
 */
@Controller
class PasskeyPageController {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
        .withZone(ZoneOffset.UTC);

    private static final int MAX_LABEL = 100;

    private final PasskeyCredentials credentials;

    private final PasskeyEnrollment enrollment;

    private final SecondFactors factors;

    private final SavedRequests requests = new SavedRequests();

    PasskeyPageController(PasskeyCredentials credentials, PasskeyEnrollment enrollment, SecondFactors factors) {
        this.credentials = credentials;
        this.enrollment = enrollment;
        this.factors = factors;
    }

    /** The offer after a password login: add a passkey, or go on without one. */
    @GetMapping("/passkeys/enroll")
    String enroll(HttpServletRequest request, HttpServletResponse response, Authentication user, Model model) {
        SavedRequest saved = this.requests.getRequest(request, response);
        String next = (saved != null) ? saved.getRedirectUrl() : request.getContextPath() + "/passkeys";
        if (this.enrollment.refusal(user) != null) {
            return "redirect:" + next;
        }
        model.addAttribute("next", next);
        return "passkey-enroll";
    }

    @GetMapping("/passkeys")
    String list(Authentication user, Model model) {
        List<Passkey> passkeys = this.credentials.ofSubject(user.getName())
            .stream()
            .sorted(Comparator.comparing(CredentialRecord::getCreated, Comparator.nullsLast(Comparator.naturalOrder())))
            .map(PasskeyPageController::view)
            .toList();
        model.addAttribute("passkeys", passkeys);
        model.addAttribute("refusal", this.enrollment.refusal(user));
        model.addAttribute("mayChange", mayChange(user));
        return "passkeys";
    }

    @PostMapping("/passkeys/{id}/name")
    String rename(@PathVariable String id, @RequestParam(defaultValue = "") String label, Authentication user) {
        String trimmed = label.strip();
        if (!trimmed.isEmpty() && trimmed.length() <= MAX_LABEL && mayChange(user)) {
            this.credentials.rename(user.getName(), credentialId(id), trimmed);
        }
        return "redirect:/passkeys";
    }

    @PostMapping("/passkeys/{id}/delete")
    String delete(@PathVariable String id, Authentication user) {
        if (mayChange(user)) {
            this.credentials.delete(user.getName(), credentialId(id));
        }
        return "redirect:/passkeys";
    }

    /**
     * A user with a second factor changes passkeys only from a session that proved one,
     * so a password alone cannot remove the factor that guards the account.
     */
    private boolean mayChange(Authentication user) {
        return !this.factors.any(user.getName()) || Factors.multiFactor(user);
    }

    private static Bytes credentialId(String id) {
        try {
            return Bytes.fromBase64(id);
        }
        catch (IllegalArgumentException ex) {
            return new Bytes(new byte[0]);
        }
    }

    private static Passkey view(CredentialRecord record) {
        return new Passkey(record.getCredentialId().toBase64UrlString(), record.getLabel(),
                (record.getCreated() != null) ? DATE.format(record.getCreated()) : "",
                (record.getLastUsed() != null) ? DATE.format(record.getLastUsed()) : "never");
    }

    /** One row of the list. */
    record Passkey(String id, String label, String created, String lastUsed) {
    }

}
