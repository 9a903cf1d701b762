// Writes DPoP proofs (RFC 9449) for the API benchmark's DPoP target, one per line: each for GET <url> with the
// bound token's ath, a fresh jti, signed with the key issuer.js made. A proof is single-use, so wrk cannot send one
// request over and over as it does for bearer tokens; bench.lua takes the next proof of a pool for every request,
// and the pool is made just before each run (see benchmarks/run). The proofs' iat is <iat-offset> seconds ahead, so
// a pool stays acceptable from its making until well after a run (the API accepts iat from 60 s in the past to its
// clock skew, 60 s, in the future). Signing happens here, outside the measured run, as the bearer token is minted
// before it: both targets measure what the API does with what it receives.
//
// Usage: node dpop-proofs.mjs <private-jwk-file> <token-file> <url> <count> [iat-offset-seconds, default 30]
import fs from 'node:fs';
import { createHash, randomUUID } from 'node:crypto';
import { SignJWT, importJWK } from 'jose';

const [keyFile, tokenFile, url, countText, offsetText] = process.argv.slice(2);
if (!keyFile || !tokenFile || !url || !countText) {
  console.error('usage: node dpop-proofs.mjs <private-jwk-file> <token-file> <url> <count> [iat-offset-seconds]');
  process.exit(2);
}
const jwk = JSON.parse(fs.readFileSync(keyFile, 'utf8'));
const key = await importJWK(jwk, 'ES256');
const { d: _private, ...publicJwk } = jwk;
const ath = createHash('sha256').update(fs.readFileSync(tokenFile, 'utf8').trim()).digest('base64url');
const iat = Math.floor(Date.now() / 1000) + Number(offsetText ?? 30);
const lines = [];
for (let i = 0; i < Number(countText); i++) {
  lines.push(
    await new SignJWT({ htm: 'GET', htu: url, ath })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: publicJwk })
      .setJti(randomUUID())
      .setIssuedAt(iat)
      .sign(key),
  );
}
fs.writeSync(1, lines.join('\n') + '\n');
