import { DOCUMENT, Injectable, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { AuthService, IdToken } from '@auth0/auth0-angular';
import { firstValueFrom, map } from 'rxjs';

import { APP_CONFIG } from '../config/app-config';

/**
 * The app's one view of the SDK: its Observables become signals here, once, so templates read `user()` and
 * `authenticated()` and nothing else subscribes to `AuthService` directly.
 */
@Injectable({ providedIn: 'root' })
export class Session {
  private readonly auth = inject(AuthService);
  private readonly document = inject(DOCUMENT);
  private readonly config = inject(APP_CONFIG);

  /** True until the SDK has handled a login callback or checked for an existing session. */
  readonly loading = toSignal(this.auth.isLoading$, { initialValue: true });
  readonly authenticated = toSignal(this.auth.isAuthenticated$, { initialValue: false });
  readonly user = toSignal(this.auth.user$, { initialValue: null });
  /** ID-token claims without `__raw`, the encoded token the SDK keeps beside them: the page never shows a token. */
  readonly idTokenClaims = toSignal(this.auth.idTokenClaims$.pipe(map(withoutRawToken)), {
    initialValue: null,
  });
  /** The last error the SDK reported (failed callback, token request refused, ...). */
  readonly lastError = toSignal(this.auth.error$, { initialValue: null });

  /** Whether config.json offers sign-in with a passkey (the SDK's passkey API). */
  readonly passkeys = this.config.passkeys === true;

  login(target?: string): void {
    this.auth.loginWithRedirect(target ? { appState: { target } } : undefined).subscribe();
  }

  /**
   * Signs in with a passkey through the SDK's `passkey.login()`: a challenge from `/passkey/challenge`, the browser's
   * passkey prompt, then the token request; no redirect. A failure (cancelled prompt, unknown passkey) shows up in
   * {@link lastError}.
   */
  loginWithPasskey(): void {
    this.passkeyError.set(null);
    this.auth.passkey.login().subscribe({
      error: (error: unknown) => {
        const described = error as { message?: string; error_description?: string } | null;
        this.passkeyError.set(
          described?.error_description ?? described?.message ?? 'Signing in with a passkey failed.',
        );
      },
    });
  }

  /** Why the last passkey sign-in failed; null when it did not. */
  readonly passkeyError = signal<string | null>(null);

  logout(): void {
    // returnTo must be one of the client's allowed logout URLs; the origin is what the quickstart registers.
    const returnTo = this.config.logoutReturnTo ?? this.document.location.origin;
    this.auth.logout({ logoutParams: { returnTo } }).subscribe();
  }

  /** Asks the authorization server for a new access token, bypassing the SDK's cache. */
  async refreshAccessToken(): Promise<string> {
    const token = await firstValueFrom(this.auth.getAccessTokenSilently({ cacheMode: 'off' }));
    // The SDK answers undefined only in cache-only mode; treat it like the interceptor does.
    if (!token)
      throw { error: 'missing_token', error_description: 'The SDK returned no access token.' };
    return token;
  }
}

function withoutRawToken(claims: IdToken | null | undefined): Record<string, unknown> | null {
  if (!claims) return null;
  const { __raw: _raw, ...rest } = claims;
  return rest;
}
