// panva's oidc-provider (a certified OpenID provider) configured with clients equivalent to Gatehouse's demo
// clients, as the authorization-server benchmark peer:
// - gatehouse-m2m: confidential, client_secret_post, client_credentials for the API resource;
// - gatehouse-spa: public (PKCE), authorization_code + refresh_token, refresh tokens rotated on use
//   (oidc-provider's default for public clients, as Gatehouse and Auth0 rotate them).
// Access tokens for the API are RS256 JWTs with aud = the API identifier, like Gatehouse's.
//
// Settings (environment): PORT, AUDIENCE (https://gatehouse.local/api).
// Benchmark-only helper: POST /bench/refresh-tokens?n=N mints N refresh tokens for gatehouse-spa through the
// provider's own Grant and RefreshToken models — the same records its code flow stores — so the refresh benchmark
// needs no scripted browser login. The refresh grant itself is served by the provider's unmodified handler.
import crypto from 'node:crypto';
import Provider, { errors } from 'oidc-provider';

const port = Number(process.env.PORT || 9300);
const audience = process.env.AUDIENCE || 'https://gatehouse.local/api';
const issuer = `http://127.0.0.1:${port}/`;

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'bench-rs256', alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'gatehouse-m2m',
      client_secret: 'gatehouse-m2m-secret',
      token_endpoint_auth_method: 'client_secret_post',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
    },
    {
      client_id: 'gatehouse-spa',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: ['http://localhost:4200'],
    },
  ],
  jwks: { keys: [signingKey] },
  scopes: ['openid', 'offline_access', 'read:messages'],
  findAccount: async (ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
  ttl: { AccessToken: 86400, ClientCredentials: 86400, RefreshToken: 30 * 86400, Grant: 30 * 86400, IdToken: 3600 },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async () => audience,
      useGrantedResource: async () => true,
      getResourceServerInfo: async (ctx, resourceIndicator) => {
        if (resourceIndicator !== audience) throw new errors.InvalidTarget();
        return {
          scope: 'read:messages',
          audience,
          accessTokenTTL: 86400,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
  },
});
provider.proxy = false;

provider.use(async (ctx, next) => {
  if (ctx.method === 'POST' && ctx.path === '/bench/refresh-tokens') {
    const n = Math.min(Number(ctx.query.n || 1), 1000);
    const client = await provider.Client.find('gatehouse-spa');
    const tokens = [];
    for (let i = 0; i < n; i += 1) {
      const accountId = 'demo@example.com';
      const grant = new provider.Grant({ accountId, clientId: client.clientId });
      grant.addOIDCScope('openid offline_access');
      grant.addResourceScope(audience, 'read:messages');
      const grantId = await grant.save();
      const refreshToken = new provider.RefreshToken({
        accountId,
        client,
        grantId,
        gty: 'authorization_code',
        scope: 'openid offline_access read:messages',
        resource: audience,
        authTime: Math.floor(Date.now() / 1000),
        expiresWithSession: false,
      });
      tokens.push(await refreshToken.save());
    }
    ctx.type = 'text/plain';
    ctx.body = `${tokens.join('\n')}\n`;
    return;
  }
  await next();
});

provider.listen(port, '127.0.0.1', () => console.log(`oidc-provider peer ${issuer} ready`));
