import { ChangeDetectionStrategy, Component, inject } from '@angular/core';

import { CONFIG_LOAD_RESULT } from './core/config/app-config';
import { ConfigProblemView } from './core/config/config-problem';
import { Shell } from './core/layout/shell';

/** Root: the app itself, or, when config.json is missing or wrong, a page that says what to fix. */
@Component({
  selector: 'app-root',
  imports: [Shell, ConfigProblemView],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (result.ok) {
      <app-shell />
    } @else {
      <app-config-problem [problem]="result.problem" />
    }
  `,
})
export class App {
  protected readonly result = inject(CONFIG_LOAD_RESULT);
}
