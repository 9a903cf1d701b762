package dev.gatehouse.authserver.login;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.security.web.util.UrlUtils;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The request a login interrupted, kept in the session by Spring Security's
 * {@link HttpSessionRequestCache}, with one difference: the URL to go back to is the
 * saved request's path and query ({@code /authorize?...}), never the absolute URL Spring
 * saves ({@code DefaultSavedRequest#getRedirectUrl}), whose host is whatever the
 * interrupted request's {@code Host} header said. The browser resolves the path against
 * the address it used, so the login returns to the server it is on, on its scheme and
 * port, also behind a proxy (docs/security.md SEC-34).
 *
 * <p>
 * What is stored is unchanged (Spring's own saved request), so sessions written by
 * earlier versions or other instances read the same. Every step that sends the browser
 * back after a login (password, passkey, second factor, the passkey offer) reads through
 * this cache.
 */
public final class SavedRequests implements RequestCache {

    private final HttpSessionRequestCache session;

    public SavedRequests() {
        this(new HttpSessionRequestCache());
    }

    /** Relative redirects for the requests {@code session} saves. */
    public SavedRequests(HttpSessionRequestCache session) {
        this.session = session;
    }

    @Override
    public void saveRequest(HttpServletRequest request, HttpServletResponse response) {
        this.session.saveRequest(request, response);
    }

    @Override
    public @Nullable SavedRequest getRequest(HttpServletRequest request, @Nullable HttpServletResponse response) {
        SavedRequest saved = this.session.getRequest(request, response);
        return (saved != null) ? new PathOnly(saved) : null;
    }

    @Override
    public @Nullable HttpServletRequest getMatchingRequest(HttpServletRequest request, HttpServletResponse response) {
        // Compares the saved absolute URL with the current one, as Spring does: the
        // browser comes back to the address it used, so they match.
        return this.session.getMatchingRequest(request, response);
    }

    @Override
    public void removeRequest(HttpServletRequest request, HttpServletResponse response) {
        this.session.removeRequest(request, response);
    }

    /**
     * The path and query of an absolute URL ({@code scheme://authority/path?query}); a
     * relative URL as it is. A path never starts with {@code //}, which a browser would
     * read as a host.
     */
    static String pathOf(String url) {
        String path = url;
        if (UrlUtils.isAbsoluteUrl(url)) {
            int slash = url.indexOf('/', url.indexOf("://") + 3);
            path = (slash < 0) ? "/" : url.substring(slash);
        }
        while (path.startsWith("//")) {
            path = path.substring(1);
        }
        return path;
    }

    /** A saved request whose redirect URL is its path and query. */
    private record PathOnly(SavedRequest saved) implements SavedRequest {

        @Override
        public String getRedirectUrl() {
            return pathOf(this.saved.getRedirectUrl());
        }

        @Override
        public List<Cookie> getCookies() {
            return this.saved.getCookies();
        }

        @Override
        public String getMethod() {
            return this.saved.getMethod();
        }

        @Override
        public List<String> getHeaderValues(String name) {
            return this.saved.getHeaderValues(name);
        }

        @Override
        public Collection<String> getHeaderNames() {
            return this.saved.getHeaderNames();
        }

        @Override
        public List<Locale> getLocales() {
            return this.saved.getLocales();
        }

        @Override
        public String @Nullable [] getParameterValues(String name) {
            return this.saved.getParameterValues(name);
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return this.saved.getParameterMap();
        }

    }

}
