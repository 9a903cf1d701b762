import { InjectionToken } from '@angular/core';

/**
 * Settings read at run time from `config.json`, so one build runs against the local authorization server or a
 * real Auth0 tenant. The README's table documents every field.
 */
export interface AppConfig {
  /** Authorization server: an Auth0 tenant host (`dev-abc.us.auth0.com`) or an origin (`http://localhost:9000`). */
  readonly domain: string;
  readonly clientId: string;
  /** Identifier of the API the access token is for (its `aud`). */
  readonly audience: string;
  /** Where the API lives: `""` (same origin as the page, proxied) or an absolute URL such as `http://localhost:3001`. */
  readonly apiUrl: string;
  /** Route the SDK navigates to when the login callback fails. */
  readonly errorPath: string;
  readonly useRefreshTokens?: boolean;
  /**
   * DPoP (RFC 9449): the SDK keeps a key pair in the browser, every token request carries a proof of it, and the
   * tokens it gets are bound to the key; API calls then go out as `Authorization: DPoP` with a proof. Off by default.
   */
  readonly useDpop?: boolean;
  readonly cacheLocation?: 'memory' | 'localstorage';
  /**
   * The SDK's `redirect_uri`: where the authorization server sends the browser back with the code. It must equal a
   * callback URL registered for the client, byte for byte. Unset: the page's origin (`http://localhost:4200`).
   */
  readonly redirectUri?: string;
  /** The logout `returnTo`: one of the client's allowed logout URLs. Unset: the page's origin. */
  readonly logoutReturnTo?: string;
  /** The scopes asked for at login (space-separated). Default: `openid profile email` and the permission below. */
  readonly scope: string;
  /** The API permission `/api/private-scoped` requires; the page checks tokens for it and explains a 403 with it. */
  readonly privateScopedPermission: string;
  /**
   * Show "Sign in with a passkey" (the SDK's `passkey.login()`). The SDK's passkey client always calls
   * `https://<domain>`, so this needs a scheme-less `domain` such as `localhost:9443` (Gatehouse's HTTPS address).
   */
  readonly passkeys?: boolean;
}

/** What went wrong while reading `config.json`; shown on screen instead of the app. */
export interface ConfigProblem {
  readonly kind: 'missing' | 'invalid-json' | 'invalid' | 'placeholders';
  readonly summary: string;
  readonly details: readonly string[];
}

export type ConfigLoadResult =
  | { readonly ok: true; readonly config: AppConfig }
  | { readonly ok: false; readonly problem: ConfigProblem };

/** The validated configuration; provided only when loading succeeded. */
export const APP_CONFIG = new InjectionToken<AppConfig>('gatehouse.app-config');

/** The outcome of loading `config.json`, provided in every case so the root component can explain a failure. */
export const CONFIG_LOAD_RESULT = new InjectionToken<ConfigLoadResult>(
  'gatehouse.config-load-result',
);

export const DEFAULT_ERROR_PATH = '/error';

/** The quickstart's permission, required by the API's `/api/private-scoped`. */
export const DEFAULT_PRIVATE_SCOPED_PERMISSION = 'read:messages';

/** The OIDC scopes for the nav bar and the Profile page; the API's permission is added to them by default. */
export const PROFILE_SCOPES = 'openid profile email';

// Auth0's own samples ship values such as YOUR_DOMAIN or {yourDomain}; either means "not filled in yet".
const PLACEHOLDER = /YOUR_[A-Z0-9_]*|\{your[A-Za-z]*\}/;

const REQUIRED_TEXT_FIELDS = ['domain', 'clientId', 'audience'] as const;

/**
 * Fetches and validates `config.json`. Never throws: every failure becomes a {@link ConfigProblem} so the page can
 * say what is wrong instead of staying blank.
 *
 * @param url absolute URL of the file (resolve it against `document.baseURI`, not the current route)
 * @param fetchFn the fetch implementation; tests pass a fake
 */
export async function loadAppConfig(
  url: string,
  fetchFn: typeof fetch = fetch,
): Promise<ConfigLoadResult> {
  let response: Response;
  try {
    // no-store: the file is edited by hand between reloads; a cached copy would hide the edit.
    response = await fetchFn(url, { cache: 'no-store' });
  } catch (error) {
    return missing(url, `The request failed: ${describe(error)}.`);
  }
  if (!response.ok) {
    return missing(
      url,
      `The server answered ${response.status} ${response.statusText}`.trim() + '.',
    );
  }
  const text = await response.text();
  // Development servers answer unknown paths with index.html (history fallback), so a missing file looks like HTML.
  if ((response.headers.get('content-type') ?? '').includes('text/html') || /^\s*</.test(text)) {
    return missing(
      url,
      'The server answered with an HTML page (its fallback for unknown paths), not JSON.',
    );
  }
  return parseAppConfig(text);
}

/** Validates the text of a `config.json`; exported so the rules can be tested without HTTP. */
export function parseAppConfig(text: string): ConfigLoadResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return failure('invalid-json', 'config.json is not valid JSON.', [describe(error)]);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return failure('invalid', 'config.json must hold a JSON object.', []);
  }
  const json = raw as Record<string, unknown>;

  const placeholders = Object.entries(json)
    .filter(([, value]) => typeof value === 'string' && PLACEHOLDER.test(value))
    .map(([key, value]) => `${key}: "${value}"`);
  if (placeholders.length > 0) {
    return failure(
      'placeholders',
      "config.json still holds placeholders. Replace them with your tenant's values (see config.example.json and the README).",
      placeholders,
    );
  }

  const errors: string[] = [];
  for (const field of REQUIRED_TEXT_FIELDS) {
    const value = json[field];
    if (typeof value !== 'string' || value.trim() === '') {
      errors.push(`${field} is required and must be a non-empty string.`);
    }
  }
  const domain = typeof json['domain'] === 'string' ? json['domain'].trim() : '';
  if (domain !== '') {
    const domainError = checkDomain(domain);
    if (domainError) errors.push(domainError);
  }

  const apiUrl = json['apiUrl'] ?? '';
  if (typeof apiUrl !== 'string') {
    errors.push('apiUrl must be a string: "" for the page\'s own origin, or an absolute URL.');
  } else {
    const apiError = checkApiUrl(apiUrl.trim());
    if (apiError) errors.push(apiError);
  }

  const errorPath = json['errorPath'] ?? DEFAULT_ERROR_PATH;
  if (
    typeof errorPath !== 'string' ||
    !/^\/[A-Za-z0-9._~\-/]*$/.test(errorPath) ||
    errorPath === '/'
  ) {
    errors.push('errorPath must be an app path such as "/error".');
  }

  const useRefreshTokens = json['useRefreshTokens'];
  if (useRefreshTokens !== undefined && typeof useRefreshTokens !== 'boolean') {
    errors.push('useRefreshTokens must be true or false.');
  }
  const useDpop = json['useDpop'];
  if (useDpop !== undefined && typeof useDpop !== 'boolean') {
    errors.push('useDpop must be true or false.');
  }
  const cacheLocation = json['cacheLocation'];
  if (
    cacheLocation !== undefined &&
    cacheLocation !== 'memory' &&
    cacheLocation !== 'localstorage'
  ) {
    errors.push('cacheLocation must be "memory" or "localstorage".');
  }

  const redirectUri = json['redirectUri'];
  const redirectError = checkReturnUrl('redirectUri', redirectUri);
  if (redirectError) errors.push(redirectError);
  const logoutReturnTo = json['logoutReturnTo'];
  const logoutError = checkReturnUrl('logoutReturnTo', logoutReturnTo);
  if (logoutError) errors.push(logoutError);

  const permission = json['privateScopedPermission'] ?? DEFAULT_PRIVATE_SCOPED_PERMISSION;
  if (typeof permission !== 'string' || !/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(permission)) {
    errors.push(
      'privateScopedPermission must be one permission name without spaces, such as "read:messages".',
    );
  }
  const scope = json['scope'];
  if (
    scope !== undefined &&
    (typeof scope !== 'string' ||
      !/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/.test(scope.trim()))
  ) {
    errors.push(
      'scope must be scope names separated by single spaces, such as "openid profile email".',
    );
  }

  const passkeys = json['passkeys'];
  if (passkeys !== undefined && typeof passkeys !== 'boolean') {
    errors.push('passkeys must be true or false.');
  } else if (passkeys === true && /^https?:\/\//.test(domain)) {
    errors.push(
      `passkeys needs a domain without scheme, such as "localhost:9443": the SDK's passkey API always calls ` +
        `https://<domain>, so "${domain}" would become an unreachable address.`,
    );
  }

  if (errors.length > 0) {
    return failure('invalid', 'config.json has invalid values.', errors);
  }
  return {
    ok: true,
    config: {
      domain,
      clientId: (json['clientId'] as string).trim(),
      audience: (json['audience'] as string).trim(),
      apiUrl: (apiUrl as string).trim(),
      errorPath: errorPath as string,
      scope: scope === undefined ? `${PROFILE_SCOPES} ${permission}` : (scope as string).trim(),
      privateScopedPermission: permission as string,
      ...(redirectUri === undefined ? {} : { redirectUri: (redirectUri as string).trim() }),
      ...(logoutReturnTo === undefined
        ? {}
        : { logoutReturnTo: (logoutReturnTo as string).trim() }),
      ...(useRefreshTokens === undefined ? {} : { useRefreshTokens: useRefreshTokens as boolean }),
      ...(useDpop === undefined ? {} : { useDpop: useDpop as boolean }),
      ...(cacheLocation === undefined
        ? {}
        : { cacheLocation: cacheLocation as 'memory' | 'localstorage' }),
      ...(passkeys === undefined ? {} : { passkeys: passkeys as boolean }),
    },
  };
}

/**
 * The SDK concatenates paths onto `domain` (`${domain}/authorize`), so a trailing slash or a path breaks every URL,
 * and a scheme other than http(s) cannot work.
 */
function checkDomain(domain: string): string | null {
  if (!/^https?:\/\//.test(domain)) {
    return /^[A-Za-z0-9.-]+(:\d+)?$/.test(domain)
      ? null
      : `domain "${domain}" must be a host name (dev-abc.us.auth0.com) or an origin (http://localhost:9000).`;
  }
  try {
    const url = new URL(domain);
    if (domain.endsWith('/') || url.pathname !== '/' || url.search || url.hash) {
      return `domain "${domain}" must be an origin without path or trailing slash, e.g. http://localhost:9000.`;
    }
  } catch {
    return `domain "${domain}" is not a valid URL.`;
  }
  return null;
}

/**
 * `redirectUri` and `logoutReturnTo` are compared with the client's registered URLs as exact strings, so they are
 * taken as written (a trailing slash stays); they must be absolute http(s) URLs without a fragment.
 */
function checkReturnUrl(field: string, value: unknown): string | null {
  if (value === undefined) return null;
  const example = 'such as "http://localhost:4200" or "http://localhost:4200/"';
  if (typeof value !== 'string' || !/^https?:\/\//.test(value.trim())) {
    return `${field} must be an absolute http(s) URL ${example}.`;
  }
  try {
    const url = new URL(value.trim());
    if (url.hash || value.includes('#')) return `${field} must not have a fragment (#...).`;
  } catch {
    return `${field} "${value}" is not a valid URL; use one ${example}.`;
  }
  return null;
}

function checkApiUrl(apiUrl: string): string | null {
  if (apiUrl === '' || apiUrl.startsWith('/')) return null;
  try {
    const url = new URL(apiUrl);
    if (url.protocol === 'http:' || url.protocol === 'https:') return null;
  } catch {
    // fall through to the message below
  }
  return `apiUrl "${apiUrl}" must be "" (same origin as the page) or an absolute http(s) URL such as http://localhost:3001.`;
}

function missing(url: string, reason: string): ConfigLoadResult {
  return failure('missing', `config.json could not be loaded from ${url}.`, [
    reason,
    'Copy public/config.example.json to public/config.json and fill in your values, then rebuild or reload.',
  ]);
}

function failure(
  kind: ConfigProblem['kind'],
  summary: string,
  details: string[],
): ConfigLoadResult {
  return { ok: false, problem: { kind, summary, details } };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
