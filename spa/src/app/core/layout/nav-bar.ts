import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { RouterLink, RouterLinkActive } from '@angular/router';

import { Session } from '../auth/session';

/** Home always; Profile and External API only when logged in; the user's name and picture; Log in / Log out. */
@Component({
  selector: 'app-nav-bar',
  imports: [RouterLink, RouterLinkActive],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './nav-bar.html',
  styleUrl: './nav-bar.css',
})
export class NavBar {
  protected readonly session = inject(Session);
  protected readonly user = this.session.user;
  protected readonly displayName = computed(() => {
    const user = this.user();
    return user?.name ?? user?.nickname ?? user?.email ?? 'Signed in';
  });
  protected readonly initials = computed(() =>
    this.displayName()
      .split(/[\s@.]+/)
      .filter((part) => part !== '')
      .slice(0, 2)
      .map((part) => part[0]!.toUpperCase())
      .join(''),
  );
  /** Set when the picture fails to load (offline, blocked host): the initials are shown instead. */
  protected readonly pictureFailed = signal(false);
}
