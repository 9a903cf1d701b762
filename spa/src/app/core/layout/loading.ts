import { ChangeDetectionStrategy, Component } from '@angular/core';

/** Shown while the SDK handles a login callback or checks for an existing session. */
@Component({
  selector: 'app-loading',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="loading" role="status" aria-live="polite" data-testid="loading">
      <span class="spinner" aria-hidden="true"></span>
      <span>Checking your session…</span>
    </div>
  `,
})
export class Loading {}
