import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';

import { Session } from '../../core/auth/session';
import { APP_CONFIG } from '../../core/config/app-config';

@Component({
  selector: 'app-home',
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="hero">
      <h1>Calling a protected API from Angular</h1>
      <p class="lead">
        This app logs you in with the Auth0 Angular SDK, shows your profile, and calls an API with
        an access token that the API validates. It runs against a local authorization server or a
        real Auth0 tenant — only
        <code>config.json</code> changes.
      </p>
      @if (session.authenticated()) {
        <p class="hero__actions">
          <a class="button" routerLink="/external-api">Call the API</a>
          <a class="button button--secondary" routerLink="/profile">See who you are</a>
        </p>
      } @else {
        <p class="hero__actions">
          <button type="button" class="button" (click)="session.login()">Get started</button>
        </p>
      }
    </section>

    <section class="steps" aria-labelledby="steps-title">
      <h2 id="steps-title">What happens</h2>
      <ol class="steps__list">
        <li>
          <h3>Log in</h3>
          <p>
            The SDK sends you to the authorization server's login page (authorization code flow with
            PKCE).
          </p>
        </li>
        <li>
          <h3>Consent</h3>
          <p>
            You allow the app to call the API on your behalf with the
            <code>{{ permission }}</code> permission.
          </p>
        </li>
        <li>
          <h3>Call the API</h3>
          <p>
            The HTTP interceptor attaches the access token — only to the API's own URLs, never
            elsewhere.
          </p>
        </li>
      </ol>
    </section>
  `,
})
// Button and link texts here deliberately avoid the nav's ("Log in", "Profile", "External API"), so tests and
// screen-reader users that look a control up by its name find exactly one.
export default class Home {
  protected readonly session = inject(Session);
  protected readonly permission = inject(APP_CONFIG).privateScopedPermission;
}
