import { HttpContextToken, HttpInterceptorFn } from '@angular/common/http';

import { AccessTokenSummary, summarizeAccessToken } from '../auth/access-token';

/**
 * Collects what the page may show about the token a request carried. A request opts in by putting one of these
 * into its `HttpContext`; the inspector fills it in.
 */
export class SentToken {
  summary: Promise<AccessTokenSummary> | null = null;
}

export const SENT_TOKEN = new HttpContextToken<SentToken | null>(() => null);

/**
 * Runs after `authHttpInterceptorFn` and `dpopInterceptor`, so it sees the request exactly as it leaves: it reports whether an access
 * token was attached and decodes it for display. The raw token is not kept. This is hand-written because the SDK
 * does not expose which token its interceptor used.
 */
export const tokenInspectorInterceptor: HttpInterceptorFn = (req, next) => {
  const sent = req.context.get(SENT_TOKEN);
  const authorization = req.headers.get('Authorization');
  const scheme = authorization?.match(/^(Bearer|DPoP) /)?.[1];
  if (sent && authorization && scheme) {
    sent.summary = summarizeAccessToken(authorization.slice(scheme.length + 1));
  }
  return next(req);
};
