// Serves the built SPA the way the quickstart's dev server does, without the Angular toolchain:
// static files from dist/spa/browser, history fallback to index.html, and /api/* proxied to the API.
//
//   node spa/server.mjs            (from the repository root, or `node server.mjs` inside spa/)
//
// Settings (environment): SPA_PORT (4200), API_URL (http://localhost:3001), SPA_DIST (dist/spa/browser next to
// this file). It binds to `localhost` only: the app must be opened as http://localhost:4200, the origin registered
// for the SPA client, and on the same host name as the authorization server (silent authentication needs that).
//
// The app's config.json is served from SPA_CONFIG_FILE (default: the build's own config.json), with any field
// replaced by its environment variable (SPA_DOMAIN, SPA_CLIENT_ID, SPA_AUDIENCE, ... see CONFIG_FIELDS; AUTH_DOMAIN
// is the older name of SPA_DOMAIN, set by `./gatehouse start` when the authorization server is on another port).
// So a container or a test points the built app at any Auth0-shaped issuer without writing a file into the build.
//
// Every answer carries a strict Content-Security-Policy built from the served config (see contentSecurityPolicy
// and spa/README.md): scripts only from this origin, network calls only to this origin, the authorization server and
// the API, and styles only from this origin or with the nonce of the page they belong to.
import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import express from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';

/**
 * The config.json fields that an environment variable can set, for containers and tests: the variable's value
 * replaces the file's field (an empty value leaves the file's). Booleans are written true or false.
 */
const CONFIG_FIELDS = {
  SPA_DOMAIN: { field: 'domain' },
  SPA_CLIENT_ID: { field: 'clientId' },
  SPA_AUDIENCE: { field: 'audience' },
  SPA_API_URL: { field: 'apiUrl' },
  SPA_ERROR_PATH: { field: 'errorPath' },
  SPA_USE_REFRESH_TOKENS: { field: 'useRefreshTokens', boolean: true },
  SPA_USE_DPOP: { field: 'useDpop', boolean: true },
  SPA_CACHE_LOCATION: { field: 'cacheLocation' },
  SPA_REDIRECT_URI: { field: 'redirectUri' },
  SPA_LOGOUT_RETURN_TO: { field: 'logoutReturnTo' },
  SPA_SCOPE: { field: 'scope' },
  SPA_PRIVATE_SCOPED_PERMISSION: { field: 'privateScopedPermission' },
  SPA_PASSKEYS: { field: 'passkeys', boolean: true },
};

const here = dirname(fileURLToPath(import.meta.url));
const port = parsePort(process.env.SPA_PORT ?? '4200');
const apiUrl = parseApiUrl(process.env.API_URL ?? 'http://localhost:3001');
const dist = resolve(process.env.SPA_DIST ?? join(here, 'dist', 'spa', 'browser'));
const index = join(dist, 'index.html');
const configFile = process.env.SPA_CONFIG_FILE?.trim()
  ? resolve(process.env.SPA_CONFIG_FILE.trim())
  : join(dist, 'config.json');
const overrides = configOverrides(process.env);
// index.html and config.json as last read, keyed by modification time and size: a rebuild or an edit is picked up
// without a restart.
let indexCache = { key: '', html: '' };
let configCache = { key: undefined, served: null };

if (!existsSync(index)) {
  fail(
    `${index} does not exist. Build the SPA first: (cd spa && npm ci && npm run build), or ./mvnw -pl spa package.`,
  );
}
if (process.env.SPA_CONFIG_FILE?.trim() && !existsSync(configFile)) {
  fail(`SPA_CONFIG_FILE names ${configFile}, which does not exist.`);
}

const app = express();
app.disable('x-powered-by');
app.use((_req, res, next) => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
  // Documents get their own policy with a nonce (sendIndex); anything else opened directly (a JSON file, an image)
  // gets the same policy without one.
  res.setHeader('Content-Security-Policy', contentSecurityPolicy(configOrigins(), null));
  next();
});

app.use(
  createProxyMiddleware({
    target: apiUrl,
    pathFilter: '/api',
    changeOrigin: true,
    // X-Forwarded-Host/-Proto/-Port: the API learns the URL the browser called, which a DPoP proof names (htu).
    xfwd: true,
    // A hung API must not hang the page: the SPA shows "cannot be reached" on a 504.
    proxyTimeout: 30_000,
    timeout: 30_000,
    on: { error: answerApiUnreachable },
  }),
);

// index.html is never served as a plain file: it needs this response's nonce.
app.get(['/', '/index.html'], sendIndex);

// config.json: the configured file with the environment's fields on top (servedConfig). A file that is not a JSON
// object is sent as it is, so the app can say what is wrong with it.
app.get('/config.json', (_req, res) => {
  const served = servedConfig();
  if (served === null) {
    // No file and no field from the environment: the app then says the file is missing.
    res.status(404).json({ error: 'not_found', error_description: 'No file at /config.json.' });
    return;
  }
  res.setHeader('Cache-Control', 'no-cache');
  if (served.config) res.json(served.config);
  else res.type('json').send(served.text);
});

app.use(
  express.static(dist, {
    index: false,
    setHeaders(res, path) {
      // Hashed bundles never change; index.html and config.json must be re-read on every load.
      if (/-[A-Z0-9]{8}\.(js|css)$/.test(path)) {
        res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      } else {
        res.setHeader('Cache-Control', 'no-cache');
      }
    },
  }),
);

// History fallback: /profile, /external-api, /error?... are app routes, not files. A path that looks like a file
// (has an extension) stays a 404, so a missing config.json is reported as missing, not parsed as HTML.
app.get('/{*path}', (req, res, next) => {
  if (/\.[A-Za-z0-9]+$/.test(req.path) || !req.accepts('html')) {
    next();
    return;
  }
  sendIndex(req, res);
});

app.use((req, res) => {
  res.status(404).json({ error: 'not_found', error_description: `No file at ${req.path}.` });
});

// `localhost` may resolve to 127.0.0.1, ::1 or both; listen on each so every client that says "localhost" gets in.
const addresses = [...new Set((await lookup('localhost', { all: true })).map((a) => a.address))];
let listening = 0;
for (const address of addresses) {
  const server = createServer(app);
  server.on('error', (error) => {
    if (error.code === 'EADDRINUSE')
      fail(`Port ${port} on ${address} is in use. Set SPA_PORT to another port.`);
    if (error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT') return; // e.g. IPv6 disabled
    fail(`Cannot listen on ${address}:${port}: ${error.message}`);
  });
  server.listen(port, address, () => {
    listening += 1;
    if (listening === 1) {
      console.log(`Gatehouse SPA on http://localhost:${port} (files ${dist}; /api -> ${apiUrl})`);
      const fromEnvironment = Object.keys(overrides);
      console.log(
        `config.json from ${configFile}` +
          (fromEnvironment.length > 0
            ? `, with ${fromEnvironment.join(', ')} from the environment`
            : ''),
      );
      const origins = configOrigins();
      console.log(
        origins
          ? `Content-Security-Policy allows auth server ${origins.auth ?? '(none)'}, API ${origins.api ?? "'self'"}`
          : `Content-Security-Policy: ${configFile} is unreadable, so the policy allows only this origin ` +
              '(the app shows what is wrong with its configuration)',
      );
    }
  });
}

/**
 * index.html with a fresh nonce on `<app-root>`: Angular reads `ngCspNonce` there and puts it on every `<style>`
 * element it adds for component styles, and the response's policy allows exactly that nonce.
 */
function sendIndex(_req, res) {
  let page;
  try {
    page = indexHtml();
  } catch {
    res.status(503).json({
      error: 'not_built',
      error_description: `${index} cannot be read. Build the SPA again (cd spa && npm run build).`,
    });
    return;
  }
  const nonce = randomBytes(16).toString('base64');
  const html = page.replace(/<app-root(?=[\s>])/, `<app-root ngCspNonce="${nonce}"`);
  res.setHeader('Content-Security-Policy', contentSecurityPolicy(configOrigins(), nonce));
  res.setHeader('Cache-Control', 'no-cache');
  res.type('html').send(html);
}

function indexHtml() {
  const stat = statSync(index);
  const key = `${stat.mtimeMs}:${stat.size}`;
  if (indexCache.key !== key) indexCache = { key, html: readFileSync(index, 'utf8') };
  return indexCache.html;
}

/**
 * The policy for one response. Directives and why:
 * - default-src 'self': anything not named below only from this origin.
 * - script-src 'self': the built index.html has no inline script (critical-CSS inlining, which adds an inline
 *   onload handler, is turned off in angular.json), so no 'unsafe-inline', no hash, no nonce are needed.
 * - style-src 'self' + nonce: Angular adds component styles as <style> elements at run time; they carry the nonce
 *   from ngCspNonce. Without a nonce (non-HTML answers) styles come from this origin only. No 'unsafe-inline'.
 * - connect-src: config.json and the proxied /api on this origin, `<domain>/oauth/token` (the SDK's fetch), and the
 *   API's origin when apiUrl is absolute (called cross-origin).
 * - frame-src: silent authentication loads `<domain>/authorize` in a hidden iframe.
 * - worker-src 'self' blob:: with useRefreshTokens and cacheLocation memory the SDK runs its token worker from a
 *   blob: URL.
 * - img-src: the profile picture may be any https URL, a data: URL, or served by the authorization server.
 * - object-src 'none', base-uri 'self', form-action 'self', frame-ancestors 'none': no plugins, no <base> hijack,
 *   no form posting elsewhere, no framing of the app (clickjacking). Login and logout are top-level navigations to
 *   `<domain>/authorize` and `<domain>/v2/logout`, which CSP does not govern.
 *
 * @param origins from configOrigins(); null when config.json cannot be read, so only this origin is allowed: the
 *   app still loads and shows its "not configured" page.
 * @param nonce the style nonce of this response, or null
 */
function contentSecurityPolicy(origins, nonce) {
  const auth = origins?.auth ? [origins.auth] : [];
  const api = origins?.api ? [origins.api] : [];
  const directives = {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'", ...(nonce ? [`'nonce-${nonce}'`] : [])],
    'img-src': ["'self'", 'data:', 'https:', ...auth],
    'font-src': ["'self'"],
    'connect-src': ["'self'", ...auth, ...api],
    'frame-src': auth.length > 0 ? auth : ["'none'"],
    'worker-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${[...new Set(sources)].join(' ')}`)
    .join('; ');
}

/**
 * The authorization server's and the API's origins from the served config, read again whenever the file changes, so
 * editing it and reloading the page works as the README says. Null when there is no config or it is not a JSON
 * object. A field the app would reject (see app-config.ts) contributes nothing: the app then refuses to start anyway.
 */
function configOrigins() {
  const config = servedConfig()?.config;
  return config ? { auth: domainOrigin(config.domain), api: apiOrigin(config.apiUrl) } : null;
}

/**
 * What /config.json answers: `{ config }` (the file's object with the environment's fields on top), `{ text }` (a
 * file that is not a JSON object, sent as it is), or null (no file and nothing from the environment). Cached by the
 * file's modification time and size.
 */
function servedConfig() {
  let key = null;
  try {
    const stat = statSync(configFile);
    key = `${stat.mtimeMs}:${stat.size}`;
  } catch {
    // missing: key stays null
  }
  if (configCache.key === key) return configCache.served;
  let served;
  if (key === null) {
    served = Object.keys(overrides).length > 0 ? { config: { ...overrides } } : null;
  } else {
    let text = '';
    try {
      text = readFileSync(configFile, 'utf8');
      const parsed = JSON.parse(text);
      served =
        parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
          ? { config: { ...parsed, ...overrides } }
          : { text };
    } catch {
      served = { text };
    }
  }
  configCache = { key, served };
  return served;
}

function configOverrides(env) {
  const result = {};
  for (const [variable, { field, boolean }] of Object.entries(CONFIG_FIELDS)) {
    const value = env[variable]?.trim();
    if (!value) continue;
    if (boolean && value !== 'true' && value !== 'false') {
      fail(`${variable} must be true or false (got "${env[variable]}").`);
    }
    result[field] = boolean ? value === 'true' : value;
  }
  const authDomain = parseAuthDomain(env.AUTH_DOMAIN);
  if (authDomain) {
    if (result.domain !== undefined && domainOrigin(result.domain) !== authDomain) {
      fail(
        `AUTH_DOMAIN (${authDomain}) and SPA_DOMAIN (${result.domain}) disagree; set only one of them.`,
      );
    }
    result.domain ??= authDomain;
  }
  return result;
}

/** AUTH_DOMAIN: unset or empty means none; anything but an http(s) origin is refused at startup. */
function parseAuthDomain(value) {
  if (value === undefined || value.trim() === '') return null;
  const origin = /^https?:\/\//.test(value.trim()) ? safeOrigin(value.trim()) : null;
  if (!origin || origin !== value.trim().replace(/\/$/, '')) {
    fail(
      `AUTH_DOMAIN must be the authorization server's origin, like http://localhost:9000 (got "${value}").`,
    );
  }
  return origin;
}

/** `domain` as the SDK uses it: a bare host (dev-abc.us.auth0.com) gets https://, an origin is kept as it is. */
function domainOrigin(domain) {
  if (typeof domain !== 'string') return null;
  const value = domain.trim();
  if (/^[A-Za-z0-9.-]+(:\d+)?$/.test(value)) return safeOrigin(`https://${value}`);
  return /^https?:\/\//.test(value) ? safeOrigin(value) : null;
}

/** An absolute apiUrl is called cross-origin; "" or a path stays on this origin ('self'). */
function apiOrigin(apiUrl) {
  if (typeof apiUrl !== 'string' || !/^https?:\/\//.test(apiUrl.trim())) return null;
  return safeOrigin(apiUrl.trim());
}

/** The URL's origin, or null: only a parsed origin (scheme, host, port) ever goes into the header. */
function safeOrigin(value) {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

function answerApiUnreachable(error, _req, res) {
  // http-proxy-middleware hands over a socket instead of a response for WebSocket upgrades; the API has none.
  if (!res || typeof res.writeHead !== 'function' || res.headersSent) {
    res?.destroy?.();
    return;
  }
  const timedOut =
    error.code === 'ECONNRESET' || error.code === 'ETIMEDOUT' || error.code === 'ESOCKETTIMEDOUT';
  res.writeHead(timedOut ? 504 : 502, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
  });
  res.end(
    JSON.stringify({
      error: timedOut ? 'api_timeout' : 'api_unreachable',
      error_description: `The API at ${apiUrl} cannot be reached (${error.code ?? error.message}). Is it running?`,
    }),
  );
}

function parsePort(value) {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > 65535)
    fail(`SPA_PORT must be a port number, got "${value}".`);
  return number;
}

function parseApiUrl(value) {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
  } catch {
    // reported below
  }
  return fail(`API_URL must be an http(s) URL such as http://localhost:3001, got "${value}".`);
}

function fail(message) {
  console.error(`server.mjs: ${message}`);
  process.exit(1);
}
