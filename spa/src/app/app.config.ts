import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import { ApplicationConfig, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { authHttpInterceptorFn, provideAuth0 } from '@auth0/auth0-angular';

import { appRoutes } from './app.routes';
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
      provideHttpClient(
        withFetch(),
        withInterceptors([authHttpInterceptorFn, tokenInspectorInterceptor]),
      ),
      provideAuth0(buildAuthConfig(result.config, origin)),
    ],
  };
}
