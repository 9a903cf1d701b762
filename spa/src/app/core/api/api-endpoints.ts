import { HttpInterceptorRouteConfig } from '@auth0/auth0-angular';

export type ApiEndpointName = 'external' | 'public' | 'private' | 'private-scoped';

/** One endpoint of the Gatehouse API and the access it demands. */
export interface ApiEndpoint {
  readonly name: ApiEndpointName;
  readonly path: string;
  /** `anonymous`: no token needed; `token`: any valid token; `permission`: a token carrying `privateScopedPermission`. */
  readonly access: 'anonymous' | 'token' | 'permission';
  readonly summary: string;
}

/** The single list the HTTP client and the interceptor's `allowedList` are both built from, so they cannot drift. */
export const API_ENDPOINTS: readonly ApiEndpoint[] = [
  {
    name: 'external',
    path: '/api/external',
    access: 'token',
    summary: "The quickstart's endpoint: answers only to a valid access token for the API.",
  },
  {
    name: 'public',
    path: '/api/public',
    access: 'anonymous',
    summary: 'Answers everyone; the token is sent when you are logged in, but not needed.',
  },
  {
    name: 'private',
    path: '/api/private',
    access: 'token',
    summary: 'Needs a valid access token, whatever its permissions.',
  },
  {
    name: 'private-scoped',
    path: '/api/private-scoped',
    access: 'permission',
    summary:
      'Needs a valid access token that carries the API permission named by privateScopedPermission.',
  },
];

/**
 * Turns `apiUrl` from config.json into the prefix put before `/api/...`: `""` or `"/"` mean the page's own origin
 * (the dev server and `server.mjs` proxy `/api` to the API), anything else loses its trailing slashes.
 */
export function apiBase(apiUrl: string): string {
  return apiUrl.trim().replace(/\/+$/, '');
}

export function endpointUrl(base: string, endpoint: ApiEndpoint): string {
  return `${base}${endpoint.path}`;
}

/**
 * The interceptor's allow-list: exact URLs of the API's endpoints and nothing else, so the access token never
 * travels to another origin. The SDK matches entries against the URL as written in code, so a relative base only
 * matches relative (same-origin) requests and an absolute base only that origin. `/api/public` is
 * `allowAnonymous`: when no token can be had, the request still goes out, without one.
 */
export function buildAllowedList(apiUrl: string): HttpInterceptorRouteConfig[] {
  const base = apiBase(apiUrl);
  return API_ENDPOINTS.map((endpoint) =>
    endpoint.access === 'anonymous'
      ? { uri: endpointUrl(base, endpoint), allowAnonymous: true }
      : { uri: endpointUrl(base, endpoint) },
  );
}
