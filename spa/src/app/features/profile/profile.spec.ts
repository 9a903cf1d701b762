import { TestBed } from '@angular/core/testing';
import { RouterTestingHarness } from '@angular/router/testing';

import { FakeAuth0Client, provideAppForTest } from '../../../testing/fake-auth0-client';

describe('Profile page', () => {
  it("should show the user's name, email and ID-token claims, but never the encoded ID token", async () => {
    const client = new FakeAuth0Client();
    client.authenticated = true;
    client.user = {
      sub: 'user-1',
      name: 'Demo User',
      email: 'demo@example.com',
      email_verified: true,
    };
    TestBed.configureTestingModule({ providers: provideAppForTest(client) });
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/profile');
    const page = harness.routeNativeElement!;

    await vi.waitFor(() => {
      if (!page.querySelector('[data-testid="profile-email"]'))
        throw new Error('profile not shown yet');
    });
    await harness.fixture.whenStable();

    expect(page.querySelector('[data-testid="profile-name"]')?.textContent).toBe('Demo User');
    expect(page.querySelector('[data-testid="profile-email"]')?.textContent?.trim()).toBe(
      'demo@example.com',
    );
    const claims = JSON.parse(page.querySelector('[data-testid="id-token-claims"]')!.textContent!);
    expect(claims).toEqual({
      sub: 'user-1',
      name: 'Demo User',
      email: 'demo@example.com',
      email_verified: true,
      iss: 'http://localhost:9000/',
      aud: 'gatehouse-spa',
    });
    expect(page.textContent).not.toContain('raw.id.token');
  });
});
