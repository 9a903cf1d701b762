// Behaviour of server.mjs, the server `./gatehouse start` uses for the built SPA, against a real stand-in API.
// Run with `node --test server.test.mjs` (part of `npm test`).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

const serverScript = new URL('./server.mjs', import.meta.url).pathname;
const builtIndex = new URL('./dist/spa/browser/index.html', import.meta.url).pathname;

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
    assert.match(await response.text(), /<app-root ngCspNonce="[^"]+"><\/app-root>/);
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

/** The Content-Security-Policy header as a map from directive to its sources. */
function policyOf(response) {
  const header = response.headers.get('content-security-policy');
  assert.ok(header, 'no Content-Security-Policy header');
  return Object.fromEntries(
    header.split(';').map((directive) => {
      const [name, ...sources] = directive.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe('server.mjs Content-Security-Policy', () => {
  let dist;
  let spaPort;
  let server;
  const base = () => `http://localhost:${spaPort}`;
  const page = (path = '/') => fetch(`${base()}${path}`, { headers: { Accept: 'text/html' } });
  /** Writes config.json and waits a moment, so its modification time moves on even on coarse file systems. */
  async function writeConfig(json) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    writeFileSync(join(dist, 'config.json'), JSON.stringify(json));
  }

  before(async () => {
    dist = mkdtempSync(join(tmpdir(), 'spa-csp-'));
    writeFileSync(
      join(dist, 'index.html'),
      '<!doctype html><title>Gatehouse</title><app-root class="x"></app-root>',
    );
    writeFileSync(
      join(dist, 'config.json'),
      JSON.stringify({ domain: 'http://localhost:9000', apiUrl: '' }),
    );
    spaPort = await freePort();
    server = startServer({ SPA_PORT: String(spaPort), SPA_DIST: dist });
    await server.ready;
  });

  after(() => {
    server?.child.kill();
    rmSync(dist, { recursive: true, force: true });
  });

  it('should allow scripts, styles and calls only from the page, the authorization server and the API', async () => {
    const policy = policyOf(await page('/external-api'));

    assert.deepEqual(policy['default-src'], ["'self'"]);
    assert.deepEqual(policy['script-src'], ["'self'"]);
    assert.deepEqual(policy['connect-src'], ["'self'", 'http://localhost:9000']);
    assert.deepEqual(policy['frame-src'], ['http://localhost:9000']);
    assert.deepEqual(policy['worker-src'], ["'self'", 'blob:']);
    assert.deepEqual(policy['img-src'], ["'self'", 'data:', 'https:', 'http://localhost:9000']);
    assert.deepEqual(policy['object-src'], ["'none'"]);
    assert.deepEqual(policy['base-uri'], ["'self'"]);
    assert.deepEqual(policy['form-action'], ["'self'"]);
    assert.deepEqual(policy['frame-ancestors'], ["'none'"]);
    assert.equal(policy['style-src'][0], "'self'");
    assert.ok(
      !JSON.stringify(policy).includes('unsafe'),
      'no unsafe-inline or unsafe-eval anywhere',
    );
  });

  it('should give each page a fresh style nonce and hand the same nonce to Angular through ngCspNonce', async () => {
    const first = await page('/');
    const second = await page('/index.html');
    const firstHtml = await first.text();
    const secondHtml = await second.text();

    const nonceOf = (response) => {
      const sources = policyOf(response)['style-src'];
      assert.equal(sources.length, 2);
      return /^'nonce-([A-Za-z0-9+/=]{22,})'$/.exec(sources[1])?.[1];
    };
    const firstNonce = nonceOf(first);
    const secondNonce = nonceOf(second);
    assert.ok(firstNonce && secondNonce, 'style-src carries a nonce');
    assert.notEqual(firstNonce, secondNonce);
    assert.match(firstHtml, new RegExp(`<app-root ngCspNonce="${escape(firstNonce)}" class="x">`));
    assert.match(
      secondHtml,
      new RegExp(`<app-root ngCspNonce="${escape(secondNonce)}" class="x">`),
    );
    assert.equal(first.headers.get('cache-control'), 'no-cache');
    assert.equal(second.headers.get('cache-control'), 'no-cache');
  });

  it('should send the policy without a nonce on files that are not the page', async () => {
    const response = await fetch(`${base()}/config.json`);

    assert.equal(response.status, 200);
    assert.deepEqual(policyOf(response)['style-src'], ["'self'"]);
    assert.deepEqual(policyOf(response)['frame-ancestors'], ["'none'"]);
  });

  it('should follow an edited config.json: an Auth0 tenant host and a cross-origin API', async () => {
    try {
      await writeConfig({
        domain: 'dev-abc.eu.auth0.com',
        apiUrl: 'https://api.example.com:8443/v1',
      });
      const policy = policyOf(await page());

      assert.deepEqual(policy['connect-src'], [
        "'self'",
        'https://dev-abc.eu.auth0.com',
        'https://api.example.com:8443',
      ]);
      assert.deepEqual(policy['frame-src'], ['https://dev-abc.eu.auth0.com']);
    } finally {
      await writeConfig({ domain: 'http://localhost:9000', apiUrl: '' });
    }
  });

  it('should let no hostile config.json value into the header', async () => {
    try {
      await writeConfig({
        domain: "evil.example; script-src 'unsafe-inline' *",
        apiUrl: "http://api.example 'unsafe-eval'",
      });
      const response = await page();
      const header = response.headers.get('content-security-policy');
      const policy = policyOf(response);

      assert.doesNotMatch(header, /unsafe|\*|evil/);
      assert.deepEqual(policy['script-src'], ["'self'"]);
      assert.deepEqual(policy['connect-src'], ["'self'"]);
      assert.deepEqual(policy['frame-src'], ["'none'"]);
    } finally {
      await writeConfig({ domain: 'http://localhost:9000', apiUrl: '' });
    }
  });

  it('should still serve the app, allowing only its own origin, when config.json is missing or broken', async () => {
    try {
      rmSync(join(dist, 'config.json'));
      const missing = await page();
      writeFileSync(join(dist, 'config.json'), '{"domain": ');
      const broken = await page();

      for (const response of [missing, broken]) {
        assert.equal(response.status, 200);
        assert.match(await response.text(), /<app-root ngCspNonce=/);
        const policy = policyOf(response);
        assert.deepEqual(policy['connect-src'], ["'self'"]);
        assert.deepEqual(policy['frame-src'], ["'none'"]);
        assert.deepEqual(policy['script-src'], ["'self'"]);
      }
    } finally {
      await writeConfig({ domain: 'http://localhost:9000', apiUrl: '' });
    }
  });

  it(
    'should find nothing inline in the built index.html, so script-src needs no exception',
    { skip: existsSync(builtIndex) ? false : 'no build yet (npm run build)' },
    () => {
      const html = readFileSync(builtIndex, 'utf8');

      assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, 'inline <script>');
      assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'inline event handler (critical-CSS inlining?)');
      assert.doesNotMatch(html, /<style[\s>]/i, 'inline <style> without the page nonce');
      assert.doesNotMatch(html, /\sstyle\s*=/i, 'style attribute');
      assert.match(html, /<app-root[\s>]/, 'ngCspNonce goes onto <app-root>');
    },
  );
});

describe('server.mjs AUTH_DOMAIN', () => {
  let dist;
  let spaPort;
  let server;

  before(async () => {
    dist = mkdtempSync(join(tmpdir(), 'spa-domain-'));
    writeFileSync(
      join(dist, 'index.html'),
      '<!doctype html><title>Gatehouse</title><app-root></app-root>',
    );
    writeFileSync(
      join(dist, 'config.json'),
      JSON.stringify({ domain: 'http://localhost:9000', clientId: 'gatehouse-spa', apiUrl: '' }),
    );
    spaPort = await freePort();
    server = startServer({
      SPA_PORT: String(spaPort),
      SPA_DIST: dist,
      AUTH_DOMAIN: 'http://localhost:9100',
    });
    await server.ready;
  });

  after(() => {
    server?.child.kill();
    rmSync(dist, { recursive: true, force: true });
  });

  it('should serve config.json with the moved authorization server and everything else as written', async () => {
    const response = await fetch(`http://localhost:${spaPort}/config.json`);

    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-cache');
    assert.deepEqual(await response.json(), {
      domain: 'http://localhost:9100',
      clientId: 'gatehouse-spa',
      apiUrl: '',
    });
    const policy = policyOf(response);
    assert.ok(policy['connect-src'].includes('http://localhost:9100'));
    assert.deepEqual(policy['frame-src'], ['http://localhost:9100']);
    assert.ok(!policy['connect-src'].includes('http://localhost:9000'));
  });

  it('should refuse to start, saying why, when AUTH_DOMAIN is not an origin', async () => {
    for (const value of ['javascript:alert(1)', 'http://localhost:9100/path', 'localhost:9100']) {
      const failed = startServer({
        SPA_PORT: String(await freePort()),
        SPA_DIST: dist,
        AUTH_DOMAIN: value,
      });
      const error = await failed.ready.then(
        () => null,
        (e) => e,
      );
      assert.equal(error?.code, 1, value);
      assert.match(error.output, /AUTH_DOMAIN must be the authorization server's origin/);
    }
  });
});

describe('server.mjs SPA_CONFIG_FILE and the SPA_* variables', () => {
  let dist;
  let configDir;
  let spaPort;
  let server;
  const base = () => `http://localhost:${spaPort}`;

  before(async () => {
    dist = mkdtempSync(join(tmpdir(), 'spa-env-'));
    configDir = mkdtempSync(join(tmpdir(), 'spa-config-'));
    writeFileSync(
      join(dist, 'index.html'),
      '<!doctype html><title>Gatehouse</title><app-root></app-root>',
    );
    writeFileSync(
      join(dist, 'config.json'),
      JSON.stringify({ domain: 'http://localhost:9000', clientId: 'built-in' }),
    );
    writeFileSync(
      join(configDir, 'tenant.json'),
      JSON.stringify({
        domain: 'http://localhost:9300',
        clientId: 'from-file',
        audience: 'https://orders.example/api',
        apiUrl: '',
        redirectUri: 'http://localhost:4300',
      }),
    );
    spaPort = await freePort();
    server = startServer({
      SPA_PORT: String(spaPort),
      SPA_DIST: dist,
      SPA_CONFIG_FILE: join(configDir, 'tenant.json'),
      SPA_CLIENT_ID: 'from-env',
      SPA_REDIRECT_URI: `http://localhost:${spaPort}/`,
      SPA_LOGOUT_RETURN_TO: `http://localhost:${spaPort}/`,
      SPA_SCOPE: 'openid profile email read:orders',
      SPA_PRIVATE_SCOPED_PERMISSION: 'read:orders',
      SPA_USE_REFRESH_TOKENS: 'true',
      SPA_ERROR_PATH: '',
    });
    await server.ready;
  });

  after(() => {
    server?.child.kill();
    rmSync(dist, { recursive: true, force: true });
    rmSync(configDir, { recursive: true, force: true });
  });

  it("should serve the named file instead of the build's, with each set variable replacing its field", async () => {
    const response = await fetch(`${base()}/config.json`);

    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-cache');
    assert.deepEqual(await response.json(), {
      domain: 'http://localhost:9300',
      clientId: 'from-env',
      audience: 'https://orders.example/api',
      apiUrl: '',
      redirectUri: `http://localhost:${spaPort}/`,
      logoutReturnTo: `http://localhost:${spaPort}/`,
      scope: 'openid profile email read:orders',
      privateScopedPermission: 'read:orders',
      useRefreshTokens: true,
    });
    assert.match(
      server.output(),
      /config\.json from .*tenant\.json, with clientId, useRefreshTokens, redirectUri/,
    );
  });

  it('should build the Content-Security-Policy from the named file and follow its edits', async () => {
    const file = join(configDir, 'tenant.json');
    const original = readFileSync(file, 'utf8');
    try {
      assert.deepEqual(policyOf(await fetch(`${base()}/`))['frame-src'], ['http://localhost:9300']);
      await new Promise((resolve) => setTimeout(resolve, 20));
      writeFileSync(
        file,
        JSON.stringify({ ...JSON.parse(original), domain: 'dev-abc.eu.auth0.com' }),
      );

      assert.deepEqual(policyOf(await fetch(`${base()}/`))['frame-src'], [
        'https://dev-abc.eu.auth0.com',
      ]);
      assert.equal(
        (await (await fetch(`${base()}/config.json`)).json()).domain,
        'dev-abc.eu.auth0.com',
      );
    } finally {
      writeFileSync(file, original);
    }
  });

  it('should serve the fields from the environment alone when there is no file', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'spa-nofile-'));
    writeFileSync(join(empty, 'index.html'), '<!doctype html><app-root></app-root>');
    const port = await freePort();
    const envOnly = startServer({
      SPA_PORT: String(port),
      SPA_DIST: empty,
      SPA_DOMAIN: 'dev-abc.us.auth0.com',
      SPA_CLIENT_ID: 'abc',
      SPA_AUDIENCE: 'https://quickstarts/api',
    });
    try {
      await envOnly.ready;
      const response = await fetch(`http://localhost:${port}/config.json`);

      assert.deepEqual(await response.json(), {
        domain: 'dev-abc.us.auth0.com',
        clientId: 'abc',
        audience: 'https://quickstarts/api',
      });
      assert.deepEqual(policyOf(response)['frame-src'], ['https://dev-abc.us.auth0.com']);
    } finally {
      envOnly.child.kill();
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('should refuse to start, saying why, on a missing file, a non-boolean flag or two different domains', async () => {
    const cases = [
      [
        { SPA_CONFIG_FILE: join(configDir, 'nope.json') },
        /SPA_CONFIG_FILE names .*nope\.json, which does not exist/,
      ],
      [{ SPA_USE_REFRESH_TOKENS: 'yes' }, /SPA_USE_REFRESH_TOKENS must be true or false/],
      [
        { SPA_DOMAIN: 'http://localhost:9300', AUTH_DOMAIN: 'http://localhost:9100' },
        /AUTH_DOMAIN \(http:\/\/localhost:9100\) and SPA_DOMAIN \(http:\/\/localhost:9300\) disagree/,
      ],
    ];
    for (const [env, message] of cases) {
      const failed = startServer({ SPA_PORT: String(await freePort()), SPA_DIST: dist, ...env });
      const error = await failed.ready.then(
        () => null,
        (e) => e,
      );
      assert.equal(error?.code, 1, JSON.stringify(env));
      assert.match(error.output, message);
    }
  });
});

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
