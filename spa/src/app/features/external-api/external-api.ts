import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';

import { ApiClient } from '../../core/api/api-client';
import { API_ENDPOINTS, ApiEndpoint, ApiEndpointName } from '../../core/api/api-endpoints';
import { ApiOutcome, statusLine } from '../../core/api/api-outcome';
import { AccessTokenSummary, grants, summarizeAccessToken } from '../../core/auth/access-token';
import { Session } from '../../core/auth/session';
import { APP_CONFIG } from '../../core/config/app-config';

interface ShownToken {
  /** Where the token came from, e.g. "sent with GET /api/external". */
  readonly source: string;
  readonly summary: AccessTokenSummary;
}

/**
 * The quickstart's checkpoint page: "Ping API" calls `/api/external` with an access token and shows the answer.
 * It also calls the other endpoints and explains each status, and shows the decoded claims of the token used.
 */
@Component({
  selector: 'app-external-api',
  imports: [DatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './external-api.html',
  styleUrl: './external-api.css',
})
export default class ExternalApi {
  private readonly api = inject(ApiClient);
  private readonly session = inject(Session);

  private readonly config = inject(APP_CONFIG);
  protected readonly audience = this.config.audience;
  protected readonly otherEndpoints = API_ENDPOINTS.filter((e) => e.name !== 'external');
  protected readonly permission = this.config.privateScopedPermission;
  protected readonly statusLine = statusLine;
  protected readonly grants = grants;

  /** What is in flight: an endpoint, the token refresh, or nothing. */
  protected readonly busy = signal<ApiEndpointName | 'refresh' | null>(null);
  protected readonly outcome = signal<ApiOutcome | null>(null);
  protected readonly token = signal<ShownToken | null>(null);
  protected readonly refreshError = signal<string | null>(null);

  /** The endpoint's summary, naming the configured permission where the endpoint needs one. */
  protected summaryOf(endpoint: ApiEndpoint): string {
    return endpoint.access === 'permission'
      ? `Needs a valid access token that carries the ${this.permission} permission.`
      : endpoint.summary;
  }

  protected urlOf(name: ApiEndpointName): string {
    return this.api.urlOf(name);
  }

  protected async call(name: ApiEndpointName): Promise<void> {
    this.busy.set(name);
    try {
      const outcome = await this.api.call(name);
      this.outcome.set(outcome);
      if (outcome.token) {
        this.token.set({
          source: `sent with GET ${outcome.endpoint.path}`,
          summary: outcome.token,
        });
      }
    } finally {
      this.busy.set(null);
    }
  }

  protected async refreshToken(): Promise<void> {
    this.busy.set('refresh');
    this.refreshError.set(null);
    try {
      const summary = await summarizeAccessToken(await this.session.refreshAccessToken());
      this.token.set({ source: 'fetched by Force token refresh (cache bypassed)', summary });
    } catch (error) {
      const e = error as { error?: unknown; error_description?: unknown; message?: unknown };
      const code = typeof e?.error === 'string' ? e.error : String(e?.message ?? error);
      const description =
        typeof e?.error_description === 'string' ? ` (${e.error_description})` : '';
      this.refreshError.set(
        `The authorization server did not issue a new token: ${code}${description}.`,
      );
    } finally {
      this.busy.set(null);
    }
  }

  /** The answer's body as text: JSON pretty-printed, text as sent, and a note for an empty body. */
  protected bodyText(outcome: ApiOutcome): string {
    if (outcome.body === null || outcome.body === undefined || outcome.body === '')
      return '(empty body)';
    return typeof outcome.body === 'string' ? outcome.body : JSON.stringify(outcome.body, null, 2);
  }

  protected claimsText(summary: AccessTokenSummary): string {
    return summary.claims
      ? JSON.stringify(summary.claims, null, 2)
      : '(not a JWT: the token is opaque to the app)';
  }
}
