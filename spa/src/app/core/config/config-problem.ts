import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import { ConfigProblem } from './app-config';

/** Shown instead of the app when config.json cannot be used: says what is wrong and how to fix it. */
@Component({
  selector: 'app-config-problem',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <main class="page narrow" id="main">
      <section class="card card--error" role="alert" data-testid="error-message">
        <h1>The app is not configured</h1>
        <p class="lead" data-testid="config-problem-summary">{{ problem().summary }}</p>
        @if (problem().details.length > 0) {
          <ul data-testid="config-problem-details">
            @for (detail of problem().details; track detail) {
              <li>{{ detail }}</li>
            }
          </ul>
        }
        <p>
          The file lives at <code>spa/public/config.json</code> and is read each time the page
          loads. The committed <code>config.example.json</code> shows every field;
          <code>spa/README.md</code> explains them.
        </p>
      </section>
    </main>
  `,
})
export class ConfigProblemView {
  readonly problem = input.required<ConfigProblem>();
}
