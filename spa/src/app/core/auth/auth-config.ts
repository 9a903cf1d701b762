import { AuthConfig } from '@auth0/auth0-angular';

import { buildAllowedList } from '../api/api-endpoints';
import { AppConfig } from '../config/app-config';

/**
 * Maps config.json onto the SDK's options.
 *
 * `redirect_uri` is `redirectUri` from config.json, else the page's origin (`http://localhost:4200` locally): it
 * must equal a callback URL registered for the client, and keeping it on `localhost` (never `127.0.0.1`) keeps the
 * authorization server same-site, which silent authentication in a hidden iframe needs.
 *
 * @param origin `window.location.origin`; a parameter so tests need no real window
 */
export function buildAuthConfig(config: AppConfig, origin: string): AuthConfig {
  return {
    domain: config.domain,
    clientId: config.clientId,
    authorizationParams: {
      redirect_uri: config.redirectUri ?? origin,
      audience: config.audience,
      scope: config.scope,
    },
    errorPath: config.errorPath,
    ...(config.useRefreshTokens === undefined ? {} : { useRefreshTokens: config.useRefreshTokens }),
    ...(config.cacheLocation === undefined ? {} : { cacheLocation: config.cacheLocation }),
    httpInterceptor: { allowedList: buildAllowedList(config.apiUrl) },
  };
}
