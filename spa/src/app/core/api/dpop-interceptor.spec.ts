import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { AuthConfig, AuthConfigService } from '@auth0/auth0-angular';
import { firstValueFrom } from 'rxjs';

import {
  FakeAuth0Client,
  LOCAL_CONFIG,
  provideAppForTest,
} from '../../../testing/fake-auth0-client';
import { API_DPOP_NONCE_ID } from './dpop-interceptor';

/**
 * With `useDpop: true` the app's own interceptor sends API calls: `Authorization: DPoP` and a proof made by the SDK
 * for exactly that request, the API's nonce kept and retried on once; never to a URL off the allow-list.
 */
describe('dpopInterceptor with useDpop: true', () => {
  let client: FakeAuth0Client;
  let http: HttpClient;
  let backend: HttpTestingController;

  beforeEach(() => {
    client = new FakeAuth0Client();
    client.authenticated = true;
    client.defaultToken = 'bound-access-token';
    client.tokenType = 'DPoP';
    TestBed.configureTestingModule({
      providers: provideAppForTest(client, { ...LOCAL_CONFIG, useDpop: true }),
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  async function nextRequest(url: string) {
    return vi.waitFor(() => {
      const match = backend.match(url);
      if (match.length === 0) throw new Error(`no request to ${url} yet`);
      return match[0];
    });
  }

  it('should hand the SDK useDpop and leave its Bearer-only interceptor nothing to do', () => {
    const config = TestBed.inject(AuthConfigService) as AuthConfig;
    expect(config.useDpop).toBe(true);
    expect(config.httpInterceptor?.allowedList).toEqual([]);
  });

  it('should send the bound token with the DPoP scheme and a proof for this request', async () => {
    const response = firstValueFrom(http.get('/api/external?x=1'));
    const request = await nextRequest('/api/external?x=1');

    expect(request.request.headers.get('Authorization')).toBe('DPoP bound-access-token');
    expect(request.request.headers.get('DPoP')).toBe('proof-1');
    expect(client.proofRequests).toEqual([
      {
        url: new URL('/api/external?x=1', document.baseURI).href,
        method: 'GET',
        accessToken: 'bound-access-token',
        nonce: undefined,
      },
    ]);
    request.flush({ msg: 'ok' }, { headers: { 'DPoP-Nonce': 'nonce-1' } });
    await response;
    expect(client.nonces.get(API_DPOP_NONCE_ID)).toBe('nonce-1');
  });

  it('should retry once with the nonce of a use_dpop_nonce challenge', async () => {
    const response = firstValueFrom(http.get('/api/private'));
    (await nextRequest('/api/private')).flush(
      { error: 'use_dpop_nonce' },
      {
        status: 401,
        statusText: 'Unauthorized',
        headers: { 'WWW-Authenticate': 'DPoP error="use_dpop_nonce"', 'DPoP-Nonce': 'fresh' },
      },
    );
    const retry = await nextRequest('/api/private');
    expect(retry.request.headers.get('DPoP')).toBe('proof-2');
    expect(client.proofRequests[1].nonce).toBe('fresh');
    retry.flush({ msg: 'ok' });
    expect(await response).toEqual({ msg: 'ok' });
  });

  it('should not retry a second time, nor for another error', async () => {
    const response = firstValueFrom(http.get('/api/private')).catch((e: unknown) => e);
    (await nextRequest('/api/private')).flush(
      { error: 'invalid_dpop_proof' },
      {
        status: 401,
        statusText: 'Unauthorized',
        headers: { 'WWW-Authenticate': 'DPoP error="invalid_dpop_proof"' },
      },
    );
    expect(await response).toBeInstanceOf(HttpErrorResponse);
    expect(client.proofRequests).toHaveLength(1);
  });

  it('should send a token the server issued as Bearer with the Bearer scheme and no proof', async () => {
    client.tokenType = 'Bearer';
    const response = firstValueFrom(http.get('/api/external'));
    const request = await nextRequest('/api/external');
    expect(request.request.headers.get('Authorization')).toBe('Bearer bound-access-token');
    expect(request.request.headers.has('DPoP')).toBe(false);
    request.flush({});
    await response;
  });

  it.each(['https://evil.example/api/external', '/api/externals', '/config.json'])(
    'should not attach a token to %s',
    async (url) => {
      const response = firstValueFrom(http.get(url));
      const request = await nextRequest(url);
      expect(request.request.headers.has('Authorization')).toBe(false);
      expect(request.request.headers.has('DPoP')).toBe(false);
      request.flush({});
      await response;
      expect(client.tokenRequests).toEqual([]);
    },
  );

  it('should send /api/public without a token when none can be had', async () => {
    client.tokens = [{ error: 'login_required' }];
    const response = firstValueFrom(http.get('/api/public'));
    const request = await nextRequest('/api/public');
    expect(request.request.headers.has('Authorization')).toBe(false);
    request.flush({});
    await response;
  });
});
