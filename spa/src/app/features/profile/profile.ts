import { JsonPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';

import { Session } from '../../core/auth/session';

/** The logged-in user: name, email, picture and the ID token's claims (decoded; the token itself is not shown). */
@Component({
  selector: 'app-profile',
  imports: [JsonPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Profile</h1>
    @if (session.user(); as user) {
      <section class="card profile">
        @if (user.picture && !pictureFailed()) {
          <img
            class="avatar avatar--large"
            [src]="user.picture"
            alt="Profile picture of {{ user.name ?? user.email }}"
            width="96"
            height="96"
            referrerpolicy="no-referrer"
            (error)="pictureFailed.set(true)"
          />
        }
        <div>
          <h2 data-testid="profile-name">{{ user.name ?? user.nickname ?? user.sub }}</h2>
          @if (user.email) {
            <p class="muted" data-testid="profile-email">
              {{ user.email }}
              @if (user.email_verified === false) {
                <span class="badge">not verified</span>
              }
            </p>
          }
        </div>
      </section>
    }
    <section class="card">
      <h2>ID token claims</h2>
      <p class="muted">
        What the authorization server said about you, as the SDK decoded and verified it.
      </p>
      <pre
        class="code"
        tabindex="0"
        aria-label="ID token claims"
      ><code data-testid="id-token-claims">{{ session.idTokenClaims() | json }}</code></pre>
    </section>
  `,
})
export default class Profile {
  protected readonly session = inject(Session);
  protected readonly pictureFailed = signal(false);
}
