// Mints refresh tokens from Gatehouse's auth-server the way the SPA gets them: the real authorization-code flow
// with PKCE, driven over HTTP — /authorize, the login form (with its CSRF field), the consent form when shown,
// then the code exchange at /oauth/token. Prints one refresh token per line.
//
// Usage: node gatehouse-login.mjs <auth-server base URL> <count>
// Environment: BENCH_USER (demo@example.com), BENCH_PASSWORD (Demo-Passw0rd), BENCH_CLIENT (gatehouse-spa),
//              BENCH_REDIRECT (http://localhost:4200), BENCH_AUDIENCE (https://gatehouse.local/api).
// Node 20 built-ins only (fetch, crypto); the forms are read with small regular expressions because they are
// our own pages with plain <form>/<input> markup — a full HTML parser would be another dependency for nothing.
import crypto from 'node:crypto';

const [base, countArg] = process.argv.slice(2);
if (!base) {
  console.error('usage: node gatehouse-login.mjs <auth-server base URL> [count]');
  process.exit(2);
}
const count = Number(countArg || 1);
const user = process.env.BENCH_USER || 'demo@example.com';
const password = process.env.BENCH_PASSWORD || 'Demo-Passw0rd';
const clientId = process.env.BENCH_CLIENT || 'gatehouse-spa';
const redirectUri = process.env.BENCH_REDIRECT || 'http://localhost:4200';
const audience = process.env.BENCH_AUDIENCE || 'https://gatehouse.local/api';

const b64url = (buf) => buf.toString('base64url');

function cookieJar() {
  const jar = new Map();
  return {
    header: () => [...jar.entries()].map(([k, v]) => `${k}=${v}`).join('; '),
    store(res) {
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const eq = pair.indexOf('=');
        jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
      }
    },
  };
}

function attr(tag, name) {
  const m = tag.match(new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)')`, 'i'));
  return m ? decodeEntities(m[2] ?? m[3]) : undefined;
}
function decodeEntities(s) {
  return s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>')
    .replace(/&#x2f;/gi, '/').replace(/&#x3d;/gi, '=');
}

/** The first form on the page whose action is not a logout/cancel, with its fields filled as a person would. */
function readForm(html, pageUrl) {
  const forms = [...html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/gi)].map((m) => m[0]);
  if (forms.length === 0) throw new Error(`no form on ${pageUrl}`);
  const form = forms.find((f) => /type\s*=\s*["']?password/i.test(f)) || forms[0];
  const openTag = form.match(/<form\b[^>]*>/i)[0];
  const action = new URL(attr(openTag, 'action') || pageUrl, pageUrl).toString();
  const fields = new URLSearchParams();
  let submitChosen = false;
  for (const m of form.matchAll(/<(input|button)\b[^>]*>/gi)) {
    const tag = m[0];
    const name = attr(tag, 'name');
    if (!name) continue;
    const type = (attr(tag, 'type') || (m[1].toLowerCase() === 'button' ? 'submit' : 'text')).toLowerCase();
    const value = attr(tag, 'value') ?? '';
    if (type === 'password') fields.append(name, password);
    else if (type === 'email' || /^(username|email|user)$/i.test(name)) fields.append(name, user);
    else if (type === 'submit') {
      // On a consent page the accepting button is the one to press, never "deny"/"cancel".
      if (!submitChosen && !/deny|cancel|decline|reject/i.test(`${name} ${value}`)) {
        fields.append(name, value);
        submitChosen = true;
      }
    } else if (type === 'checkbox' || type === 'radio') {
      if (type === 'checkbox' || /checked/i.test(tag)) fields.append(name, value || 'on');
    } else fields.append(name, value);
  }
  return { action, fields };
}

async function mintOne() {
  const jar = cookieJar();
  const verifier = b64url(crypto.randomBytes(32));
  const challenge = b64url(crypto.createHash('sha256').update(verifier).digest());
  const state = b64url(crypto.randomBytes(16));
  const authorize = new URL('/authorize', base);
  Object.entries({
    response_type: 'code', client_id: clientId, redirect_uri: redirectUri, audience,
    scope: 'openid profile email offline_access read:messages', state, nonce: b64url(crypto.randomBytes(16)),
    code_challenge: challenge, code_challenge_method: 'S256',
  }).forEach(([k, v]) => authorize.searchParams.set(k, v));

  let url = authorize.toString();
  let method = 'GET';
  let body;
  for (let step = 0; step < 20; step += 1) {
    const res = await fetch(url, {
      method, body, redirect: 'manual',
      headers: { cookie: jar.header(), accept: 'text/html', ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    });
    jar.store(res);
    if (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get('location'), url);
      if (next.toString().startsWith(redirectUri)) {
        const code = next.searchParams.get('code');
        if (!code) throw new Error(`no code in callback: ${next}`);
        const token = await fetch(new URL('/oauth/token', base), {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, code, code_verifier: verifier, redirect_uri: redirectUri }),
        });
        const json = await token.json();
        if (!json.refresh_token) throw new Error(`no refresh_token from the code exchange: ${JSON.stringify(json)}`);
        return json.refresh_token;
      }
      url = next.toString(); method = 'GET'; body = undefined;
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`${res.status} from ${url}: ${html.slice(0, 300)}`);
    const form = readForm(html, url);
    url = form.action; method = 'POST'; body = form.fields.toString();
  }
  throw new Error('too many steps in the login flow');
}

// A few logins at a time: each is a handful of sequential requests and one password hash, so running some in
// parallel keeps seeding short without loading the server more than a few users would.
const concurrency = Math.max(1, Number(process.env.BENCH_LOGIN_CONCURRENCY || 4));
let next = 0;
await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => {
  while (next < count) {
    next += 1;
    process.stdout.write(`${await mintOne()}\n`);
  }
}));
