package dev.gatehouse.authserver.mfa;

import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;

import org.springframework.security.core.Authentication;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.gatehouse.authserver.login.Factors;
import dev.gatehouse.authserver.login.SavedRequests;
import dev.gatehouse.authserver.login.SecondFactors;
import dev.gatehouse.authserver.login.SessionLogin;
import dev.gatehouse.authserver.tenant.GuardianSettings;
import dev.gatehouse.authserver.tenant.LoginSettings;
import dev.gatehouse.authserver.user.LoginThrottle;
import dev.gatehouse.authserver.user.UserAccount;
import dev.gatehouse.authserver.user.UserDirectory;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * The second-factor pages: enter a code from the authenticator app, use a passkey, or a
 * recovery code; or, for a user without a second factor yet, enroll one (an authenticator
 * app through a QR code, or a passkey). Codes are throttled like passwords, per account
 * and client address, counted in the database across instances; a code is accepted once.
 */
@Controller
class MfaController {

    static final String WRONG_CODE = "That code is not right. Check your app and try again.";

    static final String THROTTLED = "Too many attempts. Wait a moment and try again.";

    private static final String PENDING_SECRET = MfaController.class.getName() + ".PENDING_SECRET";

    private final LoginSettings settings;

    private final SecondFactors factors;

    private final AuthenticatorApps apps;

    private final RecoveryCodes recoveryCodes;

    private final LoginThrottle throttle;

    private final UserDirectory users;

    private final SessionLogin sessions;

    private final Totp totp = new Totp();

    private final Clock clock;

    private final String issuerName;

    private final SavedRequests requests = new SavedRequests();

    MfaController(LoginSettings settings, SecondFactors factors, AuthenticatorApps apps, RecoveryCodes recoveryCodes,
            LoginThrottle mfaThrottle, UserDirectory users, SessionLogin sessions, Clock clock, IssuerName issuerName) {
        this.settings = settings;
        this.factors = factors;
        this.apps = apps;
        this.recoveryCodes = recoveryCodes;
        this.throttle = mfaThrottle;
        this.users = users;
        this.sessions = sessions;
        this.clock = clock;
        this.issuerName = issuerName.value();
    }

    @GetMapping(MultiFactorFilter.PAGE)
    String challenge(Authentication user, HttpServletRequest request, HttpServletResponse response, Model model) {
        if (Factors.multiFactor(user)) {
            return "redirect:" + next(request, response);
        }
        GuardianSettings guardian = this.settings.guardian();
        boolean totp = this.factors.hasTotp(user.getName());
        boolean passkey = this.factors.hasPasskey(user.getName());
        if (!totp && !passkey) {
            model.addAttribute("otp", guardian.otp());
            model.addAttribute("webauthn", guardian.webauthn());
            return "mfa-enroll";
        }
        model.addAttribute("otp", totp);
        model.addAttribute("passkey", passkey);
        model.addAttribute("recovery", guardian.recoveryCodes() && this.factors.recoveryCodesLeft(user.getName()) > 0);
        return "mfa";
    }

    @PostMapping(MultiFactorFilter.PAGE + "/otp")
    String verifyCode(@RequestParam(defaultValue = "") String code, Authentication user, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        String secret = this.apps.secretOf(user.getName()).orElse(null);
        if (secret == null) {
            return "redirect:" + MultiFactorFilter.PAGE;
        }
        String address = request.getRemoteAddr();
        if (!this.throttle.tryAcquire(user.getName(), address)) {
            return again(user, model, THROTTLED);
        }
        OptionalLong step = this.totp.match(secret, code, this.clock.instant());
        if (!settled(user, address, () -> step.isPresent() && this.apps.accept(user.getName(), step.getAsLong()))) {
            return again(user, model, WRONG_CODE);
        }
        this.sessions.addFactor(request, response, user, Factors.OTP);
        return "redirect:" + next(request, response);
    }

    @PostMapping(MultiFactorFilter.PAGE + "/recovery")
    String useRecoveryCode(@RequestParam(defaultValue = "") String code, Authentication user,
            HttpServletRequest request, HttpServletResponse response, Model model) {
        String address = request.getRemoteAddr();
        if (!this.settings.guardian().recoveryCodes()) {
            return "redirect:" + MultiFactorFilter.PAGE;
        }
        if (!this.throttle.tryAcquire(user.getName(), address)) {
            return again(user, model, THROTTLED);
        }
        if (!settled(user, address, () -> this.recoveryCodes.use(user.getName(), code))) {
            return again(user, model, "That recovery code is not right, or it was used already.");
        }
        this.sessions.addFactor(request, response, user, Factors.RECOVERY_CODE);
        return "redirect:" + next(request, response);
    }

    @GetMapping(MultiFactorFilter.PAGE + "/enroll/otp")
    String enrollApp(Authentication user, HttpServletRequest request, Model model) {
        if (!this.settings.guardian().otp() || this.factors.any(user.getName())) {
            return "redirect:" + MultiFactorFilter.PAGE;
        }
        HttpSession session = request.getSession();
        String secret = (String) session.getAttribute(PENDING_SECRET);
        if (secret == null) {
            secret = Totp.newSecret();
            session.setAttribute(PENDING_SECRET, secret);
        }
        return enrollPage(user, secret, model, null);
    }

    @PostMapping(MultiFactorFilter.PAGE + "/enroll/otp")
    String confirmApp(@RequestParam(defaultValue = "") String code, Authentication user, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        HttpSession session = request.getSession();
        String secret = (String) session.getAttribute(PENDING_SECRET);
        if (secret == null || !this.settings.guardian().otp() || this.factors.any(user.getName())) {
            return "redirect:" + MultiFactorFilter.PAGE;
        }
        String address = request.getRemoteAddr();
        if (!this.throttle.tryAcquire(user.getName(), address)) {
            return enrollPage(user, secret, model, THROTTLED);
        }
        OptionalLong step = this.totp.match(secret, code, this.clock.instant());
        if (step.isEmpty()) {
            this.throttle.recordFailure(user.getName(), address);
            return enrollPage(user, secret, model, WRONG_CODE);
        }
        this.throttle.recordSuccess(user.getName(), address);
        if (!this.apps.enroll(user.getName(), secret, step.getAsLong())) {
            return "redirect:" + MultiFactorFilter.PAGE;
        }
        session.removeAttribute(PENDING_SECRET);
        this.sessions.addFactor(request, response, user, Factors.OTP);
        String next = next(request, response);
        if (this.settings.guardian().recoveryCodes()) {
            List<String> codes = this.recoveryCodes.renew(user.getName());
            model.addAttribute("codes", codes);
            model.addAttribute("next", next);
            return "mfa-recovery-codes";
        }
        return "redirect:" + next;
    }

    /** A code check through {@link LoginThrottle#check}, which settles its attempt. */
    private boolean settled(Authentication user, String address, BooleanSupplier check) {
        return this.throttle.check(user.getName(), address, () -> check.getAsBoolean() ? Boolean.TRUE : null) != null;
    }

    private String enrollPage(Authentication user, String secret, Model model, String error) {
        String account = this.users.findById(user.getName()).map(UserAccount::email).orElse(user.getName());
        model.addAttribute("secret", secret);
        model.addAttribute("qr", QrCode.of(Totp.uri(this.issuerName, account, secret)));
        model.addAttribute("error", error);
        return "mfa-enroll-otp";
    }

    private String again(Authentication user, Model model, String error) {
        model.addAttribute("error", error);
        model.addAttribute("otp", this.factors.hasTotp(user.getName()));
        model.addAttribute("passkey", this.factors.hasPasskey(user.getName()));
        model.addAttribute("recovery",
                this.settings.guardian().recoveryCodes() && this.factors.recoveryCodesLeft(user.getName()) > 0);
        return "mfa";
    }

    /** Back to the request that needed the second factor, or to the passkey page. */
    private String next(HttpServletRequest request, HttpServletResponse response) {
        SavedRequest saved = this.requests.getRequest(request, response);
        return (saved != null) ? saved.getRedirectUrl() : request.getContextPath() + "/passkeys";
    }

    /** The name authenticator apps show beside the account. */
    record IssuerName(String value) {
    }

}
