import {
  HttpErrorResponse,
  HttpEvent,
  HttpInterceptorFn,
  HttpRequest,
  HttpResponse,
} from '@angular/common/http';
import { DOCUMENT, inject } from '@angular/core';
import { Auth0ClientService } from '@auth0/auth0-angular';
import { Observable, catchError, from, switchMap, tap, throwError } from 'rxjs';

import { APP_CONFIG } from '../config/app-config';
import { API_ENDPOINTS, apiBase, endpointUrl } from './api-endpoints';

/** The SDK keeps a DPoP nonce per id; this one is the API's (the authorization server's has its own). */
export const API_DPOP_NONCE_ID = 'gatehouse-api';

/**
 * Attaches the access token to calls of the API's endpoints when `useDpop` is on. The SDK's Angular interceptor
 * only sends `Authorization: Bearer`, which an API refuses for a DPoP-bound token; the SDK's own `createFetcher`
 * does DPoP but bypasses Angular's `HttpClient` (and so the token inspector and the app's error handling). So this
 * does what the fetcher does, with the SDK's pieces: the token and its type from `getTokenSilently`, the proof from
 * `generateDpopProof` (`htm`, `htu` without query, `ath`, the stored nonce), `Authorization: DPoP <token>`, the
 * `DPoP-Nonce` an answer carries stored for the next proof, and one retry on a `use_dpop_nonce` challenge. A token
 * the server issued as `Bearer` (a tenant that does not bind tokens) is sent as `Bearer`.
 *
 * Same endpoints and rules as the SDK's allow-list (api-endpoints.ts): exact URLs only, and `/api/public` goes out
 * without a token when none can be had.
 */
export const dpopInterceptor: HttpInterceptorFn = (req, next) => {
  const config = inject(APP_CONFIG, { optional: true });
  if (!config?.useDpop) return next(req);
  const base = apiBase(config.apiUrl);
  const path = req.url.split(/[?#]/)[0];
  const endpoint = API_ENDPOINTS.find((e) => endpointUrl(base, e) === path);
  if (!endpoint) return next(req);
  const client: ClientLike = inject(Auth0ClientService);
  const url = new URL(req.urlWithParams, inject(DOCUMENT).baseURI).href;
  const anonymousAllowed = endpoint.access === 'anonymous';

  const send = (retried: boolean): Observable<HttpEvent<unknown>> =>
    from(authorize(req, url, anonymousAllowed, client)).pipe(
      switchMap((authorized) => next(authorized)),
      tap((event) => {
        if (event instanceof HttpResponse) void storeNonce(client, event.headers.get('DPoP-Nonce'));
      }),
      catchError((error: unknown) => {
        if (!(error instanceof HttpErrorResponse)) return throwError(() => error);
        const nonce = error.headers?.get('DPoP-Nonce') ?? null;
        const stored = storeNonce(client, nonce);
        const challenge = error.headers?.get('WWW-Authenticate') ?? '';
        if (!retried && nonce && error.status === 401 && /use_dpop_nonce/.test(challenge)) {
          return from(stored).pipe(switchMap(() => send(true)));
        }
        return throwError(() => error);
      }),
    );
  return send(false);
};

async function authorize(
  req: HttpRequest<unknown>,
  url: string,
  anonymousAllowed: boolean,
  client: ClientLike,
): Promise<HttpRequest<unknown>> {
  let token: { access_token: string; token_type?: string } | undefined;
  try {
    token = await client.getTokenSilently({ detailedResponse: true });
  } catch (error) {
    if (anonymousAllowed) return req;
    throw error;
  }
  if (!token) {
    // Only in cache-only mode, which this app does not use; treated as "no token".
    if (anonymousAllowed) return req;
    throw { error: 'missing_token', error_description: 'The SDK returned no access token.' };
  }
  if (token.token_type !== 'DPoP') {
    return req.clone({ setHeaders: { Authorization: `Bearer ${token.access_token}` } });
  }
  const proof = await client.generateDpopProof({
    url,
    method: req.method,
    accessToken: token.access_token,
    nonce: await client.getDpopNonce(API_DPOP_NONCE_ID),
  });
  return req.clone({
    setHeaders: { Authorization: `DPoP ${token.access_token}`, DPoP: proof },
  });
}

async function storeNonce(client: ClientLike, nonce: string | null): Promise<void> {
  if (nonce) await client.setDpopNonce(nonce, API_DPOP_NONCE_ID);
}

/** What this interceptor uses of the SDK's client (so tests can pass a fake). */
export interface ClientLike {
  getTokenSilently(options: {
    detailedResponse: true;
  }): Promise<{ access_token: string; token_type?: string } | undefined>;
  generateDpopProof(params: {
    url: string;
    method: string;
    nonce?: string;
    accessToken: string;
  }): Promise<string>;
  getDpopNonce(id?: string): Promise<string | undefined>;
  setDpopNonce(nonce: string, id?: string): Promise<void>;
}
