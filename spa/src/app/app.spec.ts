import { TestBed } from '@angular/core/testing';
import { AuthenticationError } from '@auth0/auth0-angular';

import {
  FakeAuth0Client,
  LOCAL_CONFIG,
  TEST_ORIGIN,
  provideAppForTest,
} from '../testing/fake-auth0-client';
import { App } from './app';
import { appConfigFor } from './app.config';

/** The whole app from its root component: configuration errors, the nav bar, the login callback's error path. */
describe('App', () => {
  let client: FakeAuth0Client;

  beforeEach(() => {
    client = new FakeAuth0Client();
  });

  afterEach(() => {
    window.history.replaceState(null, '', '/');
  });

  async function render(): Promise<HTMLElement> {
    const fixture = TestBed.createComponent(App);
    await fixture.whenStable();
    await vi.waitFor(() => {
      if (fixture.nativeElement.querySelector('[data-testid="loading"]'))
        throw new Error('still loading');
    });
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  function texts(root: HTMLElement, selector: string): string[] {
    return Array.from(root.querySelectorAll(selector), (e) => e.textContent?.trim() ?? '');
  }

  describe('with a broken config.json', () => {
    it('should explain the problem on screen and not start the SDK', async () => {
      TestBed.configureTestingModule({
        providers: appConfigFor(
          {
            ok: false,
            problem: {
              kind: 'placeholders',
              summary: 'config.json still holds placeholders.',
              details: ['domain: "YOUR_DOMAIN"'],
            },
          },
          TEST_ORIGIN,
        ).providers,
      });

      const root = await render();

      const message = root.querySelector('[data-testid="error-message"]');
      expect(message?.getAttribute('role')).toBe('alert');
      expect(message?.textContent).toContain('The app is not configured');
      expect(message?.textContent).toContain('config.json still holds placeholders.');
      expect(texts(root, '[data-testid="config-problem-details"] li')).toEqual([
        'domain: "YOUR_DOMAIN"',
      ]);
      expect(root.querySelector('[data-testid="login-button"]')).toBeNull();
    });
  });

  describe('while the SDK starts', () => {
    it('should show the loading state until the session check has finished, then the page and the sign-in buttons', async () => {
      let finishCheck!: () => void;
      client.checkSession = () => new Promise<void>((resolve) => (finishCheck = resolve));
      TestBed.configureTestingModule({
        providers: provideAppForTest(client, { ...LOCAL_CONFIG, domain: 'localhost:9443', passkeys: true }),
      });
      const fixture = TestBed.createComponent(App);
      await fixture.whenStable();
      const root = fixture.nativeElement as HTMLElement;

      expect(root.querySelector('[data-testid="loading"]')?.getAttribute('role')).toBe('status');
      expect(root.querySelector('router-outlet')).toBeNull();
      // A sign-in finished before the check would be undone when it answers login_required.
      expect(root.querySelector('[data-testid="login-button"]')).toBeNull();
      expect(root.querySelector('[data-testid="passkey-login-button"]')).toBeNull();

      finishCheck();
      await vi.waitFor(() => expect(root.querySelector('[data-testid="loading"]')).toBeNull());
      expect(root.querySelector('router-outlet')).not.toBeNull();
      expect(texts(root, '[data-testid="login-button"]')).toEqual(['Log in']);
      expect(texts(root, '[data-testid="passkey-login-button"]')).toEqual(['Sign in with a passkey']);
    });
  });

  describe('nav bar', () => {
    it('should offer Home and Log in to a visitor who is not logged in', async () => {
      TestBed.configureTestingModule({ providers: provideAppForTest(client) });

      const root = await render();

      expect(texts(root, 'nav a[routerLink]').slice(1)).toEqual(['Home']);
      expect(texts(root, '[data-testid="login-button"]')).toEqual(['Log in']);
      expect(root.querySelector('[data-testid="logout-button"]')).toBeNull();

      (root.querySelector('[data-testid="login-button"]') as HTMLButtonElement).click();
      await vi.waitFor(() => expect(client.logins).toEqual([undefined]));
    });

    it("should show Profile, External API, the user's name and Log out once logged in", async () => {
      client.authenticated = true;
      client.user = { sub: 'u1', name: 'Demo User', email: 'demo@example.com' };
      TestBed.configureTestingModule({ providers: provideAppForTest(client) });

      const root = await render();
      await vi.waitFor(() =>
        expect(texts(root, '[data-testid="nav-user"] .nav__name')).toEqual(['Demo User']),
      );

      expect(texts(root, 'nav a[routerLink]').slice(1)).toEqual([
        'Home',
        'Profile',
        'External API',
      ]);
      expect(texts(root, '[data-testid="logout-button"]')).toEqual(['Log out']);

      (root.querySelector('[data-testid="logout-button"]') as HTMLButtonElement).click();
      await vi.waitFor(() =>
        expect(client.logouts).toEqual([{ logoutParams: { returnTo: window.location.origin } }]),
      );
    });

    it('should log out to logoutReturnTo from config.json when it is set', async () => {
      client.authenticated = true;
      TestBed.configureTestingModule({
        providers: provideAppForTest(client, {
          ...LOCAL_CONFIG,
          logoutReturnTo: 'http://localhost:4300/',
        }),
      });

      const root = await render();
      await vi.waitFor(() =>
        expect(root.querySelector('[data-testid="logout-button"]')).not.toBeNull(),
      );
      (root.querySelector('[data-testid="logout-button"]') as HTMLButtonElement).click();

      await vi.waitFor(() =>
        expect(client.logouts).toEqual([{ logoutParams: { returnTo: 'http://localhost:4300/' } }]),
      );
    });
  });

  describe('login callback', () => {
    it('should land on the error page and show the SDK error when the login was refused', async () => {
      window.history.replaceState(
        null,
        '',
        '/?error=access_denied&error_description=Consent+refused&state=abc',
      );
      client.callbackError = new AuthenticationError('access_denied', 'Consent refused', 'abc');
      TestBed.configureTestingModule({ providers: provideAppForTest(client) });

      const root = await render();
      await vi.waitFor(() => {
        if (!root.querySelector('[data-testid="error-code"]'))
          throw new Error('error page not shown yet');
      });

      expect(root.querySelector('[data-testid="error-message"]')?.getAttribute('role')).toBe(
        'alert',
      );
      expect(texts(root, '[data-testid="error-code"]')).toEqual(['access_denied']);
      expect(texts(root, '[data-testid="error-description"]')).toEqual(['Consent refused']);
      expect(root.textContent).toContain('consent was declined');
    });
  });
});
