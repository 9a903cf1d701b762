// Behaviour of server.mjs, the server `./gatehouse start` uses for the built SPA, against a real stand-in API.
// Run with `node --test server.test.mjs` (part of `npm test`).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

const serverScript = new URL('./server.mjs', import.meta.url).pathname;

async function freePort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, 'localhost', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Starts server.mjs and resolves once it says it listens; rejects with its output if it exits first. */
function startServer(env) {
  const child = spawn(process.execPath, [serverScript], {
    env: { ...process.env, ...env },
    stdio: 'pipe',
  });
  let output = '';
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server.mjs did not start:\n${output}`)),
      10_000,
    );
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('Gatehouse SPA on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(
        Object.assign(new Error(`server.mjs exited with ${code}:\n${output}`), { code, output }),
      );
    });
  });
  return { child, ready, output: () => output };
}

describe('server.mjs', () => {
  let dist;
  let api;
  let apiPort;
  let spaPort;
  let server;
  const base = () => `http://localhost:${spaPort}`;

  before(async () => {
    dist = mkdtempSync(join(tmpdir(), 'spa-dist-'));
    writeFileSync(
      join(dist, 'index.html'),
      '<!doctype html><title>Gatehouse</title><app-root></app-root>',
    );
    writeFileSync(join(dist, 'config.json'), '{"domain":"http://localhost:9000"}');
    writeFileSync(join(dist, 'main-ABCD1234.js'), 'console.log(1)');
    // The stand-in API echoes what reached it, so the specs can see what the proxy forwarded.
    api = createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ url: req.url, authorization: req.headers.authorization ?? null }));
    });
    await new Promise((resolve) => api.listen(0, 'localhost', resolve));
    apiPort = api.address().port;
    spaPort = await freePort();
    server = startServer({
      SPA_PORT: String(spaPort),
      SPA_DIST: dist,
      API_URL: `http://localhost:${apiPort}`,
    });
    await server.ready;
  });

  after(async () => {
    server?.child.kill();
    await new Promise((resolve) => api.close(resolve));
    rmSync(dist, { recursive: true, force: true });
  });

  it('should proxy /api requests with their path, query and Authorization header to the API', async () => {
    const response = await fetch(`${base()}/api/private?x=1`, {
      headers: { Authorization: 'Bearer abc' },
    });

    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), {
      url: '/api/private?x=1',
      authorization: 'Bearer abc',
    });
  });

  it('should answer app routes with index.html so deep links and reloads work', async () => {
    const response = await fetch(`${base()}/external-api`, { headers: { Accept: 'text/html' } });

    assert.equal(response.status, 200);
    assert.match(await response.text(), /<app-root>/);
    assert.equal(response.headers.get('cache-control'), 'no-cache');
  });

  it('should serve config.json uncached and hashed bundles as immutable', async () => {
    const config = await fetch(`${base()}/config.json`);
    const bundle = await fetch(`${base()}/main-ABCD1234.js`);

    assert.deepEqual(await config.json(), { domain: 'http://localhost:9000' });
    assert.equal(config.headers.get('cache-control'), 'no-cache');
    assert.equal(bundle.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  });

  it('should answer a missing file with a JSON 404, not with index.html', async () => {
    const response = await fetch(`${base()}/missing.json`, { headers: { Accept: 'text/html' } });

    assert.equal(response.status, 404);
    assert.deepEqual(await response.json(), {
      error: 'not_found',
      error_description: 'No file at /missing.json.',
    });
  });

  it('should answer 502 api_unreachable in JSON when the API is down', async () => {
    const closedPort = await freePort();
    const port = await freePort();
    const down = startServer({
      SPA_PORT: String(port),
      SPA_DIST: dist,
      API_URL: `http://localhost:${closedPort}`,
    });
    try {
      await down.ready;
      const response = await fetch(`http://localhost:${port}/api/external`);

      assert.equal(response.status, 502);
      const body = await response.json();
      assert.equal(body.error, 'api_unreachable');
      assert.match(body.error_description, /cannot be reached/);
    } finally {
      down.child.kill();
    }
  });

  it('should refuse to start, saying why, when the app has not been built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'spa-empty-'));
    try {
      const failed = startServer({ SPA_PORT: String(await freePort()), SPA_DIST: empty });
      const error = await failed.ready.then(
        () => null,
        (e) => e,
      );

      assert.equal(error?.code, 1);
      assert.match(error.output, /index\.html does not exist\. Build the SPA first/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
