import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { AuthConfigService, AuthConfig } from '@auth0/auth0-angular';
import { firstValueFrom } from 'rxjs';

import {
  FakeAuth0Client,
  LOCAL_CONFIG,
  TEST_ORIGIN,
  provideAppForTest,
} from '../../../testing/fake-auth0-client';
import { AppConfig } from '../config/app-config';
import { buildAllowedList } from './api-endpoints';

/**
 * The SDK's own `authHttpInterceptorFn`, configured with the app's allowedList: these specs prove where the access
 * token goes and, above all, where it never goes.
 */
describe("authHttpInterceptorFn with the app's allowedList", () => {
  let client: FakeAuth0Client;
  let http: HttpClient;
  let backend: HttpTestingController;

  function setUp(config: AppConfig): void {
    client = new FakeAuth0Client();
    client.authenticated = true;
    client.defaultToken = 'access-token-for-the-api';
    TestBed.configureTestingModule({ providers: provideAppForTest(client, config) });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
  }

  /** Sends a GET and returns the request as it reached the backend, or null when nothing was sent. */
  async function send(url: string): Promise<{ authorization: string | null } | null> {
    const response = firstValueFrom(http.get(url)).catch((error: unknown) => error);
    const request = await vi
      .waitFor(() => {
        const match = backend.match(url);
        if (match.length === 0) throw new Error(`no request to ${url} yet`);
        return match[0];
      })
      .catch(() => null);
    if (!request) return null;
    const authorization = request.request.headers.get('Authorization');
    request.flush({});
    await response;
    return { authorization };
  }

  afterEach(() => backend.verify());

  describe('with apiUrl "" (API on the page\'s origin, proxied)', () => {
    beforeEach(() => setUp(LOCAL_CONFIG));

    it.each(['/api/external', '/api/private', '/api/private-scoped', '/api/public'])(
      'should attach the access token to %s',
      async (url) => {
        expect(await send(url)).toEqual({ authorization: 'Bearer access-token-for-the-api' });
      },
    );

    it('should attach the token when the URL carries a query string', async () => {
      expect(await send('/api/external?x=1')).toEqual({
        authorization: 'Bearer access-token-for-the-api',
      });
    });

    it.each([
      'https://evil.example/api/external',
      'http://localhost:3001/api/external',
      'http://localhost:4200/api/external',
      '/api/externals',
      '/api/other',
      '/config.json',
    ])('should not attach a token to %s, which is not an allow-listed API URL', async (url) => {
      expect(await send(url)).toEqual({ authorization: null });
      expect(client.tokenRequests).toEqual([]);
    });

    it('should send /api/public without a token when the visitor is not logged in', async () => {
      client.tokens = [{ error: 'login_required', error_description: 'Login required' }];

      expect(await send('/api/public')).toEqual({ authorization: null });
    });

    it('should not send /api/external at all when no token can be had', async () => {
      client.tokens = [{ error: 'login_required', error_description: 'Login required' }];

      const error = await firstValueFrom(http.get('/api/external')).catch((e: unknown) => e);

      backend.expectNone('/api/external');
      expect(error).toEqual({ error: 'login_required', error_description: 'Login required' });
      expect(error).not.toBeInstanceOf(HttpErrorResponse);
    });
  });

  describe('with an absolute apiUrl', () => {
    beforeEach(() => setUp({ ...LOCAL_CONFIG, apiUrl: 'http://localhost:3001/' }));

    it('should attach the token to the API origin', async () => {
      expect(await send('http://localhost:3001/api/private')).toEqual({
        authorization: 'Bearer access-token-for-the-api',
      });
    });

    it.each([
      '/api/private',
      'http://localhost:3002/api/private',
      'http://localhost:3001.evil.example/api/private',
      'https://localhost:3001/api/private',
    ])('should not attach a token to %s, another origin', async (url) => {
      expect(await send(url)).toEqual({ authorization: null });
      expect(client.tokenRequests).toEqual([]);
    });
  });

  it('should hand the SDK the redirect URI, audience and scopes from config.json', () => {
    setUp(LOCAL_CONFIG);
    const config = TestBed.inject(AuthConfigService) as AuthConfig;

    expect(config.domain).toBe('http://localhost:9000');
    expect(config.clientId).toBe('gatehouse-spa');
    expect(config.errorPath).toBe('/error');
    expect(config.authorizationParams).toEqual({
      redirect_uri: TEST_ORIGIN,
      audience: 'https://gatehouse.local/api',
      scope: 'openid profile email read:messages',
    });
    expect(config.httpInterceptor?.allowedList).toEqual(buildAllowedList(''));
  });

  it('should use redirectUri and scope from config.json instead of the page origin and the defaults', () => {
    setUp({
      ...LOCAL_CONFIG,
      redirectUri: 'http://localhost:4300/',
      scope: 'openid read:orders',
      privateScopedPermission: 'read:orders',
    });
    const config = TestBed.inject(AuthConfigService) as AuthConfig;

    expect(config.authorizationParams).toEqual({
      redirect_uri: 'http://localhost:4300/',
      audience: 'https://gatehouse.local/api',
      scope: 'openid read:orders',
    });
  });
});

describe('buildAllowedList', () => {
  it('should list exact API URLs, with only /api/public allowing anonymous calls', () => {
    expect(buildAllowedList('https://api.example.com/gatehouse/')).toEqual([
      { uri: 'https://api.example.com/gatehouse/api/external' },
      { uri: 'https://api.example.com/gatehouse/api/public', allowAnonymous: true },
      { uri: 'https://api.example.com/gatehouse/api/private' },
      { uri: 'https://api.example.com/gatehouse/api/private-scoped' },
    ]);
  });

  it('should treat "/" like "" (same origin)', () => {
    expect(buildAllowedList('/')).toEqual(buildAllowedList(''));
    expect(buildAllowedList('')[0]).toEqual({ uri: '/api/external' });
  });
});
