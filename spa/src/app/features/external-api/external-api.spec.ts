import { HttpTestingController, TestRequest } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { RouterTestingHarness } from '@angular/router/testing';

import {
  FakeAuth0Client,
  LOCAL_CONFIG,
  provideAppForTest,
  unsignedJwt,
} from '../../../testing/fake-auth0-client';

const VALIDATED = { message: 'Your access token was successfully validated!' };

/** The External API page with the real API client, SDK interceptor and token inspector; only HTTP is faked. */
describe('ExternalApi page', () => {
  let client: FakeAuth0Client;
  let backend: HttpTestingController;
  let harness: RouterTestingHarness;
  let page: HTMLElement;
  let token: string;

  beforeEach(async () => {
    client = new FakeAuth0Client();
    client.authenticated = true;
    token = unsignedJwt({
      aud: ['https://gatehouse.local/api', 'http://localhost:9000/userinfo'],
      scope: 'openid profile email read:messages',
      permissions: ['read:messages'],
      jti: 'token-one',
    });
    client.defaultToken = token;
    TestBed.configureTestingModule({ providers: provideAppForTest(client, LOCAL_CONFIG) });
    backend = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/external-api');
    page = harness.routeNativeElement!;
  });

  afterEach(() => backend.verify());

  function byTestId(id: string): HTMLElement | null {
    return page.querySelector(`[data-testid="${id}"]`);
  }

  function text(id: string): string {
    return byTestId(id)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  }

  async function click(id: string): Promise<void> {
    byTestId(id)!.click();
    await harness.fixture.whenStable();
  }

  /** Waits for the request the interceptor lets through (it first asks the SDK for a token, asynchronously). */
  async function requestTo(url: string): Promise<TestRequest> {
    return vi.waitFor(() => backend.expectOne(url));
  }

  async function settle(): Promise<void> {
    await vi.waitFor(() => {
      if (page.querySelector('[data-testid="api-outcome"]') === null)
        throw new Error('no outcome yet');
    });
    await harness.fixture.whenStable();
  }

  it("should show the API's message when Ping API succeeds, and the claims of the token it sent", async () => {
    await click('ping-api');
    const request = await requestTo('/api/external');
    expect(request.request.headers.get('Authorization')).toBe(`Bearer ${token}`);
    request.flush(VALIDATED);
    await settle();

    expect(text('api-status')).toContain('200 OK');
    expect(text('api-status')).toContain('The API validated your access token');
    expect(byTestId('api-result')?.textContent).toContain(
      'Your access token was successfully validated!',
    );
    expect(text('token-claims')).toContain('"aud"');
    expect(text('token-claims')).toContain('https://gatehouse.local/api');
    expect(text('token-claims')).toContain('read:messages');
    expect(text('token-jti')).toBe('token-one');
    expect(page.textContent).not.toContain(token);
    expect(page.textContent).not.toContain(token.split('.')[1]);
  });

  it("should explain a 401 and show the API's WWW-Authenticate challenge", async () => {
    await click('ping-api');
    (await requestTo('/api/external')).flush(null, {
      status: 401,
      statusText: 'Unauthorized',
      headers: {
        'WWW-Authenticate': 'Bearer error="invalid_token", error_description="Jwt expired"',
      },
    });
    await settle();

    expect(text('api-status')).toContain('401 Unauthorized');
    expect(text('api-status')).toContain('The API rejected your access token');
    expect(byTestId('api-status')?.getAttribute('role')).toBe('alert');
    expect(text('api-challenge')).toBe(
      'Bearer error="invalid_token", error_description="Jwt expired"',
    );
    expect(text('api-result')).toBe('(empty body)');
  });

  it('should explain a 403 from /api/private-scoped as the missing read:messages permission', async () => {
    client.defaultToken = unsignedJwt({
      aud: 'https://gatehouse.local/api',
      scope: 'openid',
      permissions: [],
    });

    await click('call-private-scoped');
    (await requestTo('/api/private-scoped')).flush(
      { error: 'insufficient_scope', error_description: 'read:messages required' },
      { status: 403, statusText: 'Forbidden' },
    );
    await settle();

    expect(text('api-status')).toContain('403 Forbidden');
    expect(text('api-status')).toContain('your token lacks the read:messages permission');
    expect(text('api-result')).toContain('insufficient_scope');
    expect(text('token-summary')).toContain('no read:messages');
  });

  it('should name the permission from config.json in the summary, the token check and a 403', async () => {
    TestBed.resetTestingModule();
    client.defaultToken = unsignedJwt({
      aud: 'https://orders.example/api',
      scope: 'openid read:messages',
      permissions: ['read:messages'],
    });
    TestBed.configureTestingModule({
      providers: provideAppForTest(client, {
        ...LOCAL_CONFIG,
        audience: 'https://orders.example/api',
        privateScopedPermission: 'read:orders',
        scope: 'openid profile email read:orders',
      }),
    });
    backend = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/external-api');
    page = harness.routeNativeElement!;

    expect(page.textContent).toContain('carries the read:orders permission');
    await click('call-private-scoped');
    (await requestTo('/api/private-scoped')).flush(
      { error: 'insufficient_scope', error_description: 'read:orders required' },
      { status: 403, statusText: 'Forbidden' },
    );
    await settle();

    expect(text('api-status')).toContain('your token lacks the read:orders permission');
    expect(text('token-summary')).toContain('no read:orders');
  });

  it('should say the API cannot be reached when the request gets no answer', async () => {
    await click('ping-api');
    (await requestTo('/api/external')).error(new ProgressEvent('error'), {
      status: 0,
      statusText: 'Unknown Error',
    });
    await settle();

    expect(text('api-status')).toContain('No answer');
    expect(text('api-status')).toContain('cannot be reached');
  });

  it('should say the API cannot be reached when server.mjs answers 502 api_unreachable', async () => {
    await click('ping-api');
    (await requestTo('/api/external')).flush(
      {
        error: 'api_unreachable',
        error_description: 'The API at http://localhost:3001 cannot be reached.',
      },
      { status: 502, statusText: 'Bad Gateway' },
    );
    await settle();

    expect(text('api-status')).toContain('502 Bad Gateway');
    expect(text('api-status')).toContain('The API cannot be reached (/api/external)');
  });

  it('should call /api/public and say no token was needed when none was sent', async () => {
    client.tokens = [{ error: 'login_required' }];

    await click('call-public');
    const request = await requestTo('/api/public');
    expect(request.request.headers.has('Authorization')).toBe(false);
    request.flush({ message: 'Hello from a public endpoint!' });
    await settle();

    expect(text('api-status')).toContain('200 OK');
    expect(text('api-status')).toContain('without needing an access token');
    expect(text('api-outcome')).toContain('No access token was sent.');
  });

  it('should say /api/public needed no token even when one was sent along', async () => {
    await click('call-public');
    const request = await requestTo('/api/public');
    expect(request.request.headers.get('Authorization')).toBe(`Bearer ${token}`);
    request.flush({ message: 'Hello from a public endpoint!' });
    await settle();

    expect(text('api-status')).toContain('200 OK');
    expect(text('api-status')).toContain(
      'This endpoint needs no token; the one sent along was accepted.',
    );
  });

  it('should explain why nothing was sent when the SDK cannot get a token', async () => {
    client.tokens = [{ error: 'login_required', error_description: 'Login required' }];

    await click('ping-api');
    await settle();

    backend.expectNone('/api/external');
    expect(text('api-status')).toContain('No answer');
    expect(text('api-status')).toContain('you are not logged in');
    expect(text('api-result')).toContain('login_required');
  });

  it('should fetch a new token on Force token refresh, bypassing the cache, and show its claims', async () => {
    const fresh = unsignedJwt({
      aud: 'https://gatehouse.local/api',
      scope: 'read:messages',
      jti: 'token-two',
    });
    client.tokens = [fresh];

    await click('refresh-token');
    await vi.waitFor(() => {
      if (text('token-jti') !== 'token-two') throw new Error('token not shown yet');
    });

    expect(client.tokenRequests).toEqual([{ cacheMode: 'off' }]);
    expect(text('token-source')).toContain('Force token refresh');
    expect(text('token-claims')).toContain('token-two');
    expect(text('token-iat')).not.toBe('—');
    expect(text('token-exp')).not.toBe('—');
    expect(page.textContent).not.toContain(fresh);
  });

  it('should say why when Force token refresh is refused', async () => {
    client.tokens = [{ error: 'login_required', error_description: 'Login required' }];

    await click('refresh-token');
    await vi.waitFor(() => {
      if (!byTestId('refresh-error')) throw new Error('no error yet');
    });

    expect(text('refresh-error')).toBe(
      'The authorization server did not issue a new token: login_required (Login required).',
    );
  });
});
