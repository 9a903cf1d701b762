import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';

import { FakeAuth0Client, LOCAL_CONFIG, provideAppForTest } from '../testing/fake-auth0-client';

/** The routes as the app declares them, guarded by the SDK's real `authGuardFn`. */
describe('appRoutes', () => {
  let client: FakeAuth0Client;

  async function open(url: string, config = LOCAL_CONFIG) {
    TestBed.configureTestingModule({ providers: provideAppForTest(client, config) });
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(url);
    return {
      harness,
      router: TestBed.inject(Router),
      page: harness.routeNativeElement as HTMLElement | null,
    };
  }

  beforeEach(() => {
    client = new FakeAuth0Client();
  });

  describe('when logged out', () => {
    it.each(['/external-api', '/profile'])(
      'should send the visitor to the login page for %s and come back to it afterwards',
      async (url) => {
        const { router, page } = await open(url);

        expect(client.logins).toEqual([{ appState: { target: url } }]);
        expect(router.url).not.toBe(url);
        expect(page?.querySelector('[data-testid="ping-api"]') ?? null).toBeNull();
      },
    );

    it('should show Home without asking to log in', async () => {
      const { router, page } = await open('/');

      expect(router.url).toBe('/');
      expect(page?.querySelector('h1')?.textContent).toContain('Calling a protected API');
      expect(client.logins).toEqual([]);
    });
  });

  describe('when logged in', () => {
    beforeEach(() => {
      client.authenticated = true;
    });

    it('should open the External API page', async () => {
      const { router, page } = await open('/external-api');

      expect(router.url).toBe('/external-api');
      expect(page?.querySelector('[data-testid="ping-api"]')?.textContent?.trim()).toBe('Ping API');
      expect(client.logins).toEqual([]);
    });

    it('should open the Profile page', async () => {
      const { router, page } = await open('/profile');

      expect(router.url).toBe('/profile');
      expect(page?.querySelector('h1')?.textContent).toBe('Profile');
    });
  });

  it('should serve the error page at the errorPath from config.json', async () => {
    const { router, page } = await open('/oops', { ...LOCAL_CONFIG, errorPath: '/oops' });

    expect(router.url).toBe('/oops');
    expect(page?.querySelector('h1')?.textContent).toBe('Something went wrong');
  });

  it('should send unknown paths to Home', async () => {
    const { router } = await open('/no-such-page');

    expect(router.url).toBe('/');
  });
});
