import { DOCUMENT, Injectable, inject } from '@angular/core';
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

  login(target?: string): void {
    this.auth.loginWithRedirect(target ? { appState: { target } } : undefined).subscribe();
  }

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
