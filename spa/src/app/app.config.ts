import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { ApplicationConfig, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { authHttpInterceptorFn, provideAuth0 } from '@auth0/auth0-angular';

import { appRoutes } from './app.routes';
import { dpopInterceptor } from './core/api/dpop-interceptor';
import { tokenInspectorInterceptor } from './core/api/token-inspector';
import { buildAuthConfig } from './core/auth/auth-config';
import { APP_CONFIG, CONFIG_LOAD_RESULT, ConfigLoadResult } from './core/config/app-config';

/**
 * Providers for the loaded configuration. With a broken config.json the SDK is not provided at all: the root
 * component then shows what is wrong, and nothing can try to create an SDK client from bad settings.
 *
 * @param origin the page's origin, used as the login `redirect_uri`
 */
export function appConfigFor(result: ConfigLoadResult, origin: string): ApplicationConfig {
  const common = [
    provideBrowserGlobalErrorListeners(),
    { provide: CONFIG_LOAD_RESULT, useValue: result },
  ];
  if (!result.ok) {
    return { providers: [...common, provideRouter([])] };
  }
  return {
    providers: [
      ...common,
      { provide: APP_CONFIG, useValue: result.config },
      provideRouter(appRoutes(result.config.errorPath), withComponentInputBinding()),
      // Order matters: the inspector must see the request after the SDK's interceptor attached the token.
      // The default XMLHttpRequest backend, not withFetch(): Angular 21's FetchBackend calls abort() when its
      // Observable ends, even after the response was read, and Chromium then often reports the finished call as
      // net::ERR_ABORTED (and DevTools drops its body). Fixed in Angular 22.1 (angular/angular#70072); Angular 22
      // makes fetch the default, so an upgrade to 22.0 needs withXhr() here.
      // dpopInterceptor attaches the token instead of the SDK's when useDpop is on (it then has an empty list).
      provideHttpClient(
        withInterceptors([authHttpInterceptorFn, dpopInterceptor, tokenInspectorInterceptor]),
      ),
      provideAuth0(buildAuthConfig(result.config, origin)),
    ],
  };
}
