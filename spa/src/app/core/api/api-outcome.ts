import { HttpErrorResponse } from '@angular/common/http';

import { AccessTokenSummary } from '../auth/access-token';
import { ApiEndpoint } from './api-endpoints';

export type Verdict =
  | 'success'
  | 'unauthorized'
  | 'forbidden'
  | 'unreachable'
  | 'no-token'
  | 'not-found'
  | 'server-error'
  | 'unexpected';

/** One call to the API, explained: what came back and what it means. */
export interface ApiOutcome {
  readonly endpoint: ApiEndpoint;
  readonly url: string;
  /** The HTTP status, or null when no answer came back (network failure, or no token to send). */
  readonly status: number | null;
  readonly verdict: Verdict;
  /** One sentence a developer can act on. */
  readonly meaning: string;
  /** The answer's body (JSON, text) or, without an answer, the error that stopped the call. */
  readonly body: unknown;
  /** The API's `WWW-Authenticate` header (RFC 6750 error details), when it sent one the page may read. */
  readonly challenge: string | null;
  /** The token the request carried; null when it went out without one. */
  readonly token: AccessTokenSummary | null;
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function statusLine(outcome: ApiOutcome): string {
  if (outcome.status === null) return 'No answer';
  const text = STATUS_TEXT[outcome.status];
  return text ? `${outcome.status} ${text}` : String(outcome.status);
}

/**
 * Explains an HTTP answer. The rules, by status:
 * - 2xx: accepted.
 * - 401: the API did not accept the token (none sent, expired, wrong audience or issuer).
 * - 403: the token is valid but lacks the permission the endpoint needs (`permission`, from config.json).
 * - 502/504, or a 500 without a JSON body: a proxy in front of the API answered because the API is down
 *   (`server.mjs` sends `{"error":"api_unreachable"}`; the Angular dev server sends an empty 500).
 * - 0: no answer at all (refused connection, CORS block, offline).
 */
export function explainAnswer(
  endpoint: ApiEndpoint,
  url: string,
  status: number,
  body: unknown,
  challenge: string | null,
  token: AccessTokenSummary | null,
  permission: string,
): ApiOutcome {
  const outcome = (verdict: Verdict, meaning: string): ApiOutcome => ({
    endpoint,
    url,
    status,
    verdict,
    meaning,
    body,
    challenge,
    token,
  });
  if (status === 0) {
    return {
      ...outcome('unreachable', unreachableMeaning(url)),
      status: null,
      body: null,
    };
  }
  if (status >= 200 && status < 300) {
    if (endpoint.access === 'anonymous') {
      return outcome(
        'success',
        token
          ? 'The API answered. This endpoint needs no token; the one sent along was accepted.'
          : 'The API answered without needing an access token.',
      );
    }
    return outcome('success', 'The API validated your access token and answered.');
  }
  if (status === 401) {
    return outcome(
      'unauthorized',
      token
        ? 'The API rejected your access token: it is expired, or was issued by another authorization server or for ' +
            'another audience. Check that "audience" in config.json is the API\'s identifier, then log in again.'
        : "The API needs an access token and the request carried none. Log in, and check that the interceptor's " +
            'allowedList covers this URL (it is built from "apiUrl" in config.json).',
    );
  }
  if (status === 403) {
    return outcome(
      'forbidden',
      `The API accepted your token, but your token lacks the ${permission} permission this endpoint ` +
        'needs. Give the user a role that grants it, then log out and in again to get a new token.',
    );
  }
  if (status === 404) {
    return outcome(
      'not-found',
      'The API has no such endpoint. Check "apiUrl" in config.json points at the Gatehouse API.',
    );
  }
  if (
    status === 502 ||
    status === 503 ||
    status === 504 ||
    (status === 500 && !isJsonObject(body))
  ) {
    return outcome('unreachable', unreachableMeaning(url));
  }
  if (status >= 500) {
    return outcome('server-error', `The API failed while answering (${status}); its log says why.`);
  }
  return outcome('unexpected', `The API answered ${status}, which this page does not expect.`);
}

/**
 * Explains a failed call: an `HttpErrorResponse` carries an answer (or status 0 for none); anything else is the
 * SDK refusing to produce a token, in which case the request was never sent.
 */
export function explainFailure(
  endpoint: ApiEndpoint,
  url: string,
  error: unknown,
  token: AccessTokenSummary | null,
  permission: string,
): ApiOutcome {
  if (error instanceof HttpErrorResponse) {
    return explainAnswer(
      endpoint,
      url,
      error.status,
      error.error,
      error.headers?.get('WWW-Authenticate') ?? null,
      token,
      permission,
    );
  }
  const code = sdkErrorCode(error);
  const description = sdkErrorDescription(error);
  return {
    endpoint,
    url,
    status: null,
    verdict: 'no-token',
    meaning: noTokenMeaning(code, description),
    body: { error: code, ...(description ? { error_description: description } : {}) },
    challenge: null,
    token: null,
  };
}

function unreachableMeaning(url: string): string {
  return (
    `The API cannot be reached (${url}): it is not running or the proxy in front of it cannot connect. ` +
    'Start the API (port 3001 by default) and try again.'
  );
}

function noTokenMeaning(code: string, description: string | null): string {
  switch (code) {
    case 'login_required':
      return 'No access token: you are not logged in at the authorization server any more. Log in again.';
    case 'consent_required':
      return 'No access token: the API needs your consent. Log out and in again to grant it.';
    case 'missing_refresh_token':
      return 'No access token: no refresh token is stored (the page was reloaded with the memory cache). Log in again.';
    case 'timeout':
      return 'No access token: the authorization server did not answer the silent request in time.';
    default:
      return `No access token: the SDK reported "${code}"${description ? ` (${description})` : ''}, so the request was not sent.`;
  }
}

function sdkErrorCode(error: unknown): string {
  if (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { error?: unknown }).error === 'string'
  ) {
    return (error as { error: string }).error;
  }
  return error instanceof Error ? error.message : 'unknown_error';
}

function sdkErrorDescription(error: unknown): string | null {
  const description = (error as { error_description?: unknown } | null)?.error_description;
  return typeof description === 'string' ? description : null;
}

function isJsonObject(body: unknown): boolean {
  return typeof body === 'object' && body !== null;
}
