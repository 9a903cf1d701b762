import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterOutlet } from '@angular/router';

import { Session } from '../auth/session';
import { Loading } from './loading';
import { NavBar } from './nav-bar';

/** The page frame: skip link, nav bar, and the routed page once the SDK has finished starting. */
@Component({
  selector: 'app-shell',
  imports: [NavBar, Loading, RouterOutlet],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <a class="skip-link" href="#main">Skip to content</a>
    <app-nav-bar />
    <main class="page" id="main" tabindex="-1">
      @if (session.loading()) {
        <app-loading />
      } @else {
        <router-outlet />
      }
    </main>
    <footer class="footer">
      <p>
        Gatehouse — Auth0's Angular quickstart, offline: an Angular SPA calling a protected API with
        tokens from a local authorization server.
      </p>
    </footer>
  `,
})
export class Shell {
  protected readonly session = inject(Session);
}
