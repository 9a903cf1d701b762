// Serves the built SPA the way the quickstart's dev server does, without the Angular toolchain:
// static files from dist/spa/browser, history fallback to index.html, and /api/* proxied to the API.
//
//   node spa/server.mjs            (from the repository root, or `node server.mjs` inside spa/)
//
// Settings (environment): SPA_PORT (4200), API_URL (http://localhost:3001), SPA_DIST (dist/spa/browser next to
// this file). It binds to `localhost` only: the app must be opened as http://localhost:4200, the origin registered
// for the SPA client, and on the same host name as the authorization server (silent authentication needs that).
import { lookup } from 'node:dns/promises';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import express from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';

const here = dirname(fileURLToPath(import.meta.url));
const port = parsePort(process.env.SPA_PORT ?? '4200');
const apiUrl = parseApiUrl(process.env.API_URL ?? 'http://localhost:3001');
const dist = resolve(process.env.SPA_DIST ?? join(here, 'dist', 'spa', 'browser'));
const index = join(dist, 'index.html');

if (!existsSync(index)) {
  fail(
    `${index} does not exist. Build the SPA first: (cd spa && npm ci && npm run build), or ./mvnw -pl spa package.`,
  );
}

const app = express();
app.disable('x-powered-by');
app.use((_req, res, next) => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
  next();
});

app.use(
  createProxyMiddleware({
    target: apiUrl,
    pathFilter: '/api',
    changeOrigin: true,
    // A hung API must not hang the page: the SPA shows "cannot be reached" on a 504.
    proxyTimeout: 30_000,
    timeout: 30_000,
    on: { error: answerApiUnreachable },
  }),
);

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
  res.setHeader('Cache-Control', 'no-cache');
  res.sendFile(index);
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
    }
  });
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
