import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';

import { Session } from '../../core/auth/session';

/**
 * The SDK's `errorPath`: the SDK navigates here when the login callback fails (for example `access_denied` when
 * consent is refused, or `Invalid state` when a callback URL is reloaded) and reports the error through `error$`.
 */
@Component({
  selector: 'app-error-page',
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Something went wrong</h1>
    @if (error(); as e) {
      <section class="card card--error" role="alert" data-testid="error-message">
        <p class="lead">
          <strong data-testid="error-code">{{ e.code }}</strong>
          @if (e.description && e.description !== e.code) {
            — <span data-testid="error-description">{{ e.description }}</span>
          }
        </p>
        <p>{{ e.hint }}</p>
      </section>
    } @else {
      <section class="card" data-testid="error-message">
        <p>No error has been reported in this session.</p>
      </section>
    }
    <p class="actions">
      <button type="button" class="button" (click)="session.login()">Try again</button>
      <a class="button button--secondary" routerLink="/">Back to the start page</a>
    </p>
  `,
})
export default class ErrorPage {
  protected readonly session = inject(Session);
  protected readonly error = computed(() => {
    const error = this.session.lastError();
    if (!error) return null;
    const details = error as Error & { error?: unknown; error_description?: unknown };
    const code = typeof details.error === 'string' ? details.error : error.message || error.name;
    const description =
      typeof details.error_description === 'string'
        ? details.error_description
        : error.message || null;
    return { code, description, hint: hintFor(code, description) };
  });
}

function hintFor(code: string, description: string | null): string {
  if (code === 'access_denied') {
    return 'The authorization server refused the login — usually because consent was declined. Log in again and allow access.';
  }
  if (code === 'login_required' || code === 'consent_required' || code === 'interaction_required') {
    return 'The authorization server needs you to log in (or consent) interactively.';
  }
  if (
    code === 'missing_transaction' ||
    code === 'state_mismatch' ||
    description === 'Invalid state'
  ) {
    return 'The login callback did not match a login this tab started (was the callback URL reloaded or opened in another tab?). Log in again.';
  }
  return 'The SDK could not complete the login. The browser console and the authorization server log have details.';
}
