import { jwtDecode } from 'jwt-decode';

/**
 * What the page may show about an access token: its decoded claims and a fingerprint, never the token itself
 * (a token on screen ends up in screenshots and bug reports, and it is a bearer credential).
 */
export interface AccessTokenSummary {
  /** The decoded payload, or null when the token is not a JWT (Auth0 issues opaque tokens without an audience). */
  readonly claims: Readonly<Record<string, unknown>> | null;
  readonly audience: readonly string[];
  readonly scopes: readonly string[];
  /** The RBAC `permissions` claim, or null when the token has none. */
  readonly permissions: readonly string[] | null;
  readonly issuedAt: Date | null;
  readonly expiresAt: Date | null;
  readonly jti: string | null;
  /**
   * `cnf.jkt`: the thumbprint of the DPoP key the token is bound to (RFC 9449), or null for a bearer token, which
   * works for whoever holds it.
   */
  readonly dpopThumbprint: string | null;
  /** First 16 hex digits of the token's SHA-256: tells two tokens apart without revealing either. */
  readonly fingerprint: string | null;
}

export async function summarizeAccessToken(token: string): Promise<AccessTokenSummary> {
  const fingerprint = await sha256Prefix(token);
  let claims: Record<string, unknown>;
  try {
    claims = jwtDecode<Record<string, unknown>>(token);
  } catch {
    return {
      claims: null,
      audience: [],
      scopes: [],
      permissions: null,
      issuedAt: null,
      expiresAt: null,
      jti: null,
      dpopThumbprint: null,
      fingerprint,
    };
  }
  const aud = claims['aud'];
  const scope = claims['scope'];
  const permissions = claims['permissions'];
  return {
    claims,
    audience: typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.map(String) : [],
    scopes: typeof scope === 'string' ? scope.split(' ').filter((s) => s !== '') : [],
    permissions: Array.isArray(permissions) ? permissions.map(String) : null,
    issuedAt: epochToDate(claims['iat']),
    expiresAt: epochToDate(claims['exp']),
    jti: typeof claims['jti'] === 'string' ? claims['jti'] : null,
    dpopThumbprint: jkt(claims['cnf']),
    fingerprint,
  };
}

/** True when the token grants `permission`, through the RBAC `permissions` claim or, failing that, `scope`. */
export function grants(summary: AccessTokenSummary, permission: string): boolean {
  return (summary.permissions ?? summary.scopes).includes(permission);
}

function jkt(cnf: unknown): string | null {
  if (typeof cnf !== 'object' || cnf === null) return null;
  const value = (cnf as Record<string, unknown>)['jkt'];
  return typeof value === 'string' && value !== '' ? value : null;
}

function epochToDate(value: unknown): Date | null {
  return typeof value === 'number' && Number.isFinite(value) ? new Date(value * 1000) : null;
}

async function sha256Prefix(token: string): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  const digest = await subtle.digest('SHA-256', new TextEncoder().encode(token));
  return Array.from(new Uint8Array(digest).slice(0, 8), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
}
