import committedConfig from '../../../../public/config.json';
import committedExample from '../../../../public/config.example.json';
import { ConfigLoadResult, loadAppConfig, parseAppConfig } from './app-config';

const URL = 'http://localhost:4200/config.json';

function answering(body: string, init: ResponseInit = {}): typeof fetch {
  return async () =>
    new Response(body, { status: 200, headers: { 'Content-Type': 'application/json' }, ...init });
}

function problemOf(result: ConfigLoadResult) {
  if (result.ok) throw new Error(`expected a problem, got ${JSON.stringify(result.config)}`);
  return result.problem;
}

describe('loadAppConfig', () => {
  it('should accept the committed local config.json', async () => {
    const result = await loadAppConfig(URL, answering(JSON.stringify(committedConfig)));

    expect(result).toEqual({
      ok: true,
      config: {
        domain: 'http://localhost:9000',
        clientId: 'gatehouse-spa',
        audience: 'https://gatehouse.local/api',
        apiUrl: '',
        errorPath: '/error',
        scope: 'openid profile email read:messages',
        privateScopedPermission: 'read:messages',
        useRefreshTokens: false,
        useDpop: false,
        cacheLocation: 'memory',
      },
    });
  });

  it('should fetch the file without the HTTP cache so a hand edit shows on reload', async () => {
    const calls: [RequestInfo | URL, RequestInit | undefined][] = [];
    const fetchFn: typeof fetch = async (input, init) => {
      calls.push([input, init]);
      return new Response(JSON.stringify(committedConfig));
    };

    await loadAppConfig(URL, fetchFn);

    expect(calls).toEqual([[URL, { cache: 'no-store' }]]);
  });

  it('should report a missing file when the server answers 404', async () => {
    const problem = problemOf(
      await loadAppConfig(URL, answering('', { status: 404, statusText: 'Not Found' })),
    );

    expect(problem.kind).toBe('missing');
    expect(problem.summary).toContain(URL);
    expect(problem.details[0]).toBe('The server answered 404 Not Found.');
    expect(problem.details[1]).toContain('config.example.json');
  });

  it('should report a missing file when a history fallback answers with index.html', async () => {
    const html = '<!doctype html><html><body><app-root></app-root></body></html>';
    const result = await loadAppConfig(
      URL,
      answering(html, { headers: { 'Content-Type': 'text/html' } }),
    );

    expect(problemOf(result).kind).toBe('missing');
    expect(problemOf(result).details[0]).toContain('HTML page');
  });

  it('should report a missing file when the request itself fails', async () => {
    const offline: typeof fetch = async () => {
      throw new TypeError('Failed to fetch');
    };

    const problem = problemOf(await loadAppConfig(URL, offline));

    expect(problem.kind).toBe('missing');
    expect(problem.details[0]).toBe('The request failed: Failed to fetch.');
  });

  it('should report invalid JSON with the parser message', async () => {
    const problem = problemOf(
      await loadAppConfig(URL, answering('{ "domain": "http://localhost:9000", }')),
    );

    expect(problem.kind).toBe('invalid-json');
    expect(problem.summary).toBe('config.json is not valid JSON.');
    expect(problem.details).toHaveLength(1);
  });
});

describe('parseAppConfig', () => {
  it('should reject the committed example because it still holds placeholders', () => {
    const problem = problemOf(parseAppConfig(JSON.stringify(committedExample)));

    expect(problem.kind).toBe('placeholders');
    expect(problem.details).toEqual([
      'domain: "YOUR_DOMAIN"',
      'clientId: "YOUR_CLIENT_ID"',
      'audience: "YOUR_API_IDENTIFIER"',
    ]);
  });

  it('should treat Auth0-style {yourDomain} values as placeholders', () => {
    const problem = problemOf(
      parseAppConfig(JSON.stringify({ ...committedConfig, domain: '{yourDomain}' })),
    );

    expect(problem.kind).toBe('placeholders');
    expect(problem.details).toEqual(['domain: "{yourDomain}"']);
  });

  it('should accept an Auth0 tenant host and an absolute API URL', () => {
    const result = parseAppConfig(
      JSON.stringify({
        domain: 'dev-abc123.us.auth0.com',
        clientId: 'aBcD1234',
        audience: 'https://quickstarts/api',
        apiUrl: 'http://localhost:3001',
      }),
    );

    expect(result.ok && result.config).toEqual({
      domain: 'dev-abc123.us.auth0.com',
      clientId: 'aBcD1234',
      audience: 'https://quickstarts/api',
      apiUrl: 'http://localhost:3001',
      errorPath: '/error',
      scope: 'openid profile email read:messages',
      privateScopedPermission: 'read:messages',
    });
  });

  it('should offer passkeys with the scheme-less HTTPS domain the SDK passkey API needs', () => {
    const base = { clientId: 'gatehouse-spa', audience: 'https://gatehouse.local/api' };
    const result = parseAppConfig(
      JSON.stringify({ ...base, domain: 'localhost:9443', passkeys: true }),
    );
    expect(result.ok && result.config.passkeys).toBe(true);
    expect(result.ok && result.config.domain).toBe('localhost:9443');

    const withScheme = problemOf(
      parseAppConfig(JSON.stringify({ ...base, domain: 'http://localhost:9000', passkeys: true })),
    );
    expect(withScheme.details.join(' ')).toContain('passkeys needs a domain without scheme');
    expect(
      problemOf(
        parseAppConfig(JSON.stringify({ ...base, domain: 'localhost:9443', passkeys: 'yes' })),
      ).details,
    ).toContain('passkeys must be true or false.');
  });

  it('should take the redirect URI and logout return URL as written, trailing slash included', () => {
    const result = parseAppConfig(
      JSON.stringify({
        ...committedConfig,
        redirectUri: 'http://localhost:4300/',
        logoutReturnTo: 'http://localhost:4300/',
      }),
    );

    expect(result.ok && result.config.redirectUri).toBe('http://localhost:4300/');
    expect(result.ok && result.config.logoutReturnTo).toBe('http://localhost:4300/');
  });

  it('should ask for the profile scopes and the configured permission unless scope is given', () => {
    const { scope: _scope, ...withoutScope } = committedConfig as Record<string, unknown>;
    const byPermission = parseAppConfig(
      JSON.stringify({ ...withoutScope, privateScopedPermission: 'read:orders' }),
    );
    const explicit = parseAppConfig(
      JSON.stringify({
        ...committedConfig,
        scope: ' openid read:orders ',
        privateScopedPermission: 'read:orders',
      }),
    );

    expect(byPermission.ok && byPermission.config.scope).toBe('openid profile email read:orders');
    expect(byPermission.ok && byPermission.config.privateScopedPermission).toBe('read:orders');
    expect(explicit.ok && explicit.config.scope).toBe('openid read:orders');
  });

  it('should list every missing required field', () => {
    const problem = problemOf(parseAppConfig('{}'));

    expect(problem.kind).toBe('invalid');
    expect(problem.details).toEqual([
      'domain is required and must be a non-empty string.',
      'clientId is required and must be a non-empty string.',
      'audience is required and must be a non-empty string.',
    ]);
  });

  it.each([
    ['http://localhost:9000/', 'without path or trailing slash'],
    ['http://localhost:9000/auth', 'without path or trailing slash'],
    ['ftp://localhost:9000', 'must be a host name'],
    ['localhost:9000/', 'must be a host name'],
  ])(
    'should reject the domain %s, which the SDK would turn into broken URLs',
    (domain, message) => {
      const problem = problemOf(parseAppConfig(JSON.stringify({ ...committedConfig, domain })));

      expect(problem.kind).toBe('invalid');
      expect(problem.details.join(' ')).toContain(message);
    },
  );

  it.each([
    [{ apiUrl: 'localhost:3001' }, 'apiUrl "localhost:3001" must be'],
    [{ apiUrl: 3001 }, 'apiUrl must be a string'],
    [{ errorPath: 'error' }, 'errorPath must be an app path'],
    [{ useRefreshTokens: 'yes' }, 'useRefreshTokens must be true or false.'],
    [{ useDpop: 'on' }, 'useDpop must be true or false.'],
    [{ cacheLocation: 'session' }, 'cacheLocation must be "memory" or "localstorage".'],
    [{ redirectUri: 'localhost:4200' }, 'redirectUri must be an absolute http(s) URL'],
    [{ redirectUri: 'http://localhost:4200/#x' }, 'redirectUri must not have a fragment'],
    [{ logoutReturnTo: 42 }, 'logoutReturnTo must be an absolute http(s) URL'],
    [{ scope: 'openid  profile' }, 'scope must be scope names separated by single spaces'],
    [{ scope: '' }, 'scope must be scope names'],
    [
      { privateScopedPermission: 'read messages' },
      'privateScopedPermission must be one permission name',
    ],
  ])('should reject %o with a message naming the field', (override, message) => {
    const problem = problemOf(parseAppConfig(JSON.stringify({ ...committedConfig, ...override })));

    expect(problem.kind).toBe('invalid');
    expect(problem.details.join(' ')).toContain(message);
  });

  it('should reject a JSON value that is not an object', () => {
    expect(problemOf(parseAppConfig('["http://localhost:9000"]')).summary).toBe(
      'config.json must hold a JSON object.',
    );
  });
});
