import { HttpClient, HttpContext } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';

import { APP_CONFIG } from '../config/app-config';
import { API_ENDPOINTS, ApiEndpointName, apiBase, endpointUrl } from './api-endpoints';
import { ApiOutcome, explainAnswer, explainFailure } from './api-outcome';
import { SENT_TOKEN, SentToken } from './token-inspector';

/**
 * The only code that calls the API. It never throws: every answer, and every failure to get one, comes back as an
 * {@link ApiOutcome} the page can show.
 */
@Injectable({ providedIn: 'root' })
export class ApiClient {
  private readonly http = inject(HttpClient);
  private readonly config = inject(APP_CONFIG);
  private readonly base = apiBase(this.config.apiUrl);

  urlOf(name: ApiEndpointName): string {
    return endpointUrl(this.base, endpoint(name));
  }

  async call(name: ApiEndpointName): Promise<ApiOutcome> {
    const target = endpoint(name);
    const url = endpointUrl(this.base, target);
    const sent = new SentToken();
    try {
      const response = await firstValueFrom(
        this.http.get<unknown>(url, {
          observe: 'response',
          context: new HttpContext().set(SENT_TOKEN, sent),
        }),
      );
      return explainAnswer(
        target,
        url,
        response.status,
        response.body,
        response.headers.get('WWW-Authenticate'),
        await sent.summary,
        this.config.privateScopedPermission,
      );
    } catch (error) {
      return explainFailure(
        target,
        url,
        error,
        await sent.summary,
        this.config.privateScopedPermission,
      );
    }
  }
}

function endpoint(name: ApiEndpointName) {
  const found = API_ENDPOINTS.find((e) => e.name === name);
  if (!found) throw new Error(`Unknown API endpoint ${name}`);
  return found;
}
