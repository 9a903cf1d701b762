// A tiny test issuer for the API benchmark: serves OIDC discovery and a JWKS, and writes one long-lived RS256
// access token to a file. Every API under test (ours and the Express peer) validates that same token against this
// issuer, so the comparison measures token checking, not token fetching.
//
// It also writes, for the DPoP target, a second token bound to a browser-like ES256 key (cnf.jkt, RFC 9449) to
// <token-out-file>.dpop and that key (private JWK) to <token-out-file>.dpop-key.json, for dpop-proofs.mjs.
//
// Usage: node issuer.js <port> <audience> <token-out-file>
// The issuer identifier is http://127.0.0.1:<port>/ (trailing slash, like Gatehouse's own issuer).
import http from 'node:http';
import fs from 'node:fs';
import { calculateJwkThumbprint, generateKeyPair, exportJWK, SignJWT } from 'jose';

const [port, audience, tokenFile] = process.argv.slice(2);
if (!port || !audience || !tokenFile) {
  console.error('usage: node issuer.js <port> <audience> <token-out-file>');
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}/`;

const { publicKey, privateKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
const jwk = { ...(await exportJWK(publicKey)), kid: 'bench-1', alg: 'RS256', use: 'sig' };
const now = Math.floor(Date.now() / 1000);
// Shaped like a Gatehouse/Auth0 client_credentials access token; valid for a day, far longer than any run.
const token = await new SignJWT({ scope: 'read:messages', permissions: ['read:messages'], azp: 'gatehouse-m2m', gty: 'client-credentials' })
  .setProtectedHeader({ alg: 'RS256', kid: jwk.kid, typ: 'at+jwt' })
  .setIssuer(issuer)
  .setSubject('gatehouse-m2m@clients')
  .setAudience(audience)
  .setIssuedAt(now)
  .setExpirationTime(now + 86400)
  .setJti(`bench-${now}`)
  .sign(privateKey);
fs.writeFileSync(tokenFile, token);

// The SPA SDK's key: ES256 (P-256), as auth0-spa-js generates it with useDpop.
const dpopKey = await generateKeyPair('ES256', { extractable: true });
const dpopPublic = await exportJWK(dpopKey.publicKey);
const boundToken = await new SignJWT({
  scope: 'read:messages',
  permissions: ['read:messages'],
  azp: 'gatehouse-spa',
  cnf: { jkt: await calculateJwkThumbprint(dpopPublic) },
})
  .setProtectedHeader({ alg: 'RS256', kid: jwk.kid, typ: 'at+jwt' })
  .setIssuer(issuer)
  .setSubject('auth0|bench-user')
  .setAudience(audience)
  .setIssuedAt(now)
  .setExpirationTime(now + 86400)
  .setJti(`bench-dpop-${now}`)
  .sign(privateKey);
fs.writeFileSync(`${tokenFile}.dpop`, boundToken);
fs.writeFileSync(`${tokenFile}.dpop-key.json`, JSON.stringify(await exportJWK(dpopKey.privateKey)));

const discovery = {
  issuer,
  jwks_uri: `${issuer}.well-known/jwks.json`,
  authorization_endpoint: `${issuer}authorize`,
  token_endpoint: `${issuer}oauth/token`,
  response_types_supported: ['code'],
  subject_types_supported: ['public'],
  id_token_signing_alg_values_supported: ['RS256'],
};
const routes = {
  '/.well-known/openid-configuration': discovery,
  '/.well-known/oauth-authorization-server': discovery,
  '/.well-known/jwks.json': { keys: [jwk] },
};

http.createServer((req, res) => {
  const body = routes[req.url.split('?')[0]];
  res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body ?? { error: 'not_found' }));
}).listen(Number(port), '127.0.0.1', () => console.log(`test issuer ${issuer} ready`));
