import { bootstrapApplication } from '@angular/platform-browser';

import { App } from './app/app';
import { appConfigFor } from './app/app.config';
import { loadAppConfig } from './app/core/config/app-config';

// config.json is read before Angular starts, so the SDK is created once, with the right tenant, or not at all.
// Resolve it against the base URL: a deep link such as /profile must not look for /profile/config.json.
loadAppConfig(new URL('config.json', document.baseURI).href)
  .then((result) => bootstrapApplication(App, appConfigFor(result, window.location.origin)))
  .catch((err) => console.error(err));
