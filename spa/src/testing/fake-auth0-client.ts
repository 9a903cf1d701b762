import { EnvironmentProviders, Provider } from '@angular/core';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { Auth0ClientService } from '@auth0/auth0-angular';

import { appConfigFor } from '../app/app.config';
import { AppConfig } from '../app/core/config/app-config';

/** The local defaults committed in public/config.json. */
export const LOCAL_CONFIG: AppConfig = {
  domain: 'http://localhost:9000',
  clientId: 'gatehouse-spa',
  audience: 'https://gatehouse.local/api',
  apiUrl: '',
  errorPath: '/error',
  scope: 'openid profile email read:messages',
  privateScopedPermission: 'read:messages',
};

export const TEST_ORIGIN = 'http://localhost:4200';

/**
 * Stands in for the SDK's `Auth0Client`, the one boundary to the authorization server, so specs run the real
 * `AuthService`, `authHttpInterceptorFn` and `authGuardFn` without a network. It records what the SDK was asked.
 */
export class FakeAuth0Client {
  authenticated = false;
  /** What `getTokenSilently` answers; an Error-like value is thrown instead. */
  tokens: (string | { error: string; error_description?: string })[] = [];
  defaultToken = unsignedJwt({
    aud: 'https://gatehouse.local/api',
    scope: 'openid read:messages',
    jti: 'default',
  });
  user: Record<string, unknown> = {
    sub: 'user-1',
    name: 'Demo User',
    email: 'demo@example.com',
    email_verified: true,
  };
  callbackError: Error | null = null;

  readonly tokenRequests: unknown[] = [];
  readonly logins: unknown[] = [];
  readonly logouts: unknown[] = [];

  async checkSession(): Promise<void> {}

  async isAuthenticated(): Promise<boolean> {
    return this.authenticated;
  }

  async getUser(): Promise<Record<string, unknown> | undefined> {
    return this.authenticated ? this.user : undefined;
  }

  async getIdTokenClaims(): Promise<Record<string, unknown> | undefined> {
    return this.authenticated
      ? { ...this.user, iss: 'http://localhost:9000/', aud: 'gatehouse-spa', __raw: 'raw.id.token' }
      : undefined;
  }

  async getTokenSilently(options?: unknown): Promise<string> {
    this.tokenRequests.push(options);
    const next = this.tokens.length > 0 ? this.tokens.shift()! : this.defaultToken;
    if (typeof next !== 'string') throw next;
    return next;
  }

  async loginWithRedirect(options?: unknown): Promise<void> {
    this.logins.push(options);
  }

  async logout(options?: unknown): Promise<void> {
    this.logouts.push(options);
  }

  async handleRedirectCallback(): Promise<unknown> {
    if (this.callbackError) throw this.callbackError;
    this.authenticated = true;
    return { appState: undefined };
  }
}

/**
 * The app's real providers (router, interceptors in their order, SDK config built from `config`) with the SDK
 * client replaced by `client` and the HTTP backend by `HttpTestingController`.
 */
export function provideAppForTest(
  client: FakeAuth0Client,
  config: AppConfig = LOCAL_CONFIG,
): (Provider | EnvironmentProviders)[] {
  return [
    ...appConfigFor({ ok: true, config }, TEST_ORIGIN).providers,
    provideHttpClientTesting(),
    { provide: Auth0ClientService, useValue: client },
  ];
}

/** A JWT-shaped token with the given claims and a dummy signature: the SPA decodes tokens, it never verifies them. */
export function unsignedJwt(claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    iss: 'http://localhost:9000/',
    sub: 'user-1',
    iat: now,
    exp: now + 300,
    ...claims,
  };
  return [{ alg: 'RS256', typ: 'JWT' }, payload].map(base64Url).join('.') + '.c2lnbmF0dXJl';
}

function base64Url(value: unknown): string {
  return btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
