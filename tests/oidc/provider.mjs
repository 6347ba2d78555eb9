// A real OpenID Connect provider (panva's certified `oidc-provider`) on loopback, for Usher's
// end-to-end sign-in tests (tests/e2e/oidc.rs starts it). Not for anything else: it signs in
// whoever types a login name (devInteractions, any password) and uses throw-away keys.
//
// Environment:
//   OIDC_PORT           port to listen on at 127.0.0.1 (default 0: any free port)
//   OIDC_REDIRECT_URIS  comma-separated callback URLs of the one client
//   OIDC_CLIENT_ID      client id (default usher)
//   OIDC_CLIENT_SECRET  client secret (default usher-test-secret; client_secret_basic)
//   OIDC_GROUPS         JSON object: login name -> list of groups (default {})
//   OIDC_CLAIMS_IN_ID_TOKEN  "1": put profile, email and groups in the ID token as well;
//                       otherwise they are only in userinfo (the provider's default)
//
// Prints `issuer http://127.0.0.1:PORT` once it accepts requests.

import http from 'node:http';

import Provider from 'oidc-provider';

const env = process.env;
const port = Number(env.OIDC_PORT || 0);
const redirectUris = (env.OIDC_REDIRECT_URIS || '').split(',').filter(Boolean);
const groups = JSON.parse(env.OIDC_GROUPS || '{}');

const server = http.createServer();
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(port, '127.0.0.1', resolve);
});
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: env.OIDC_CLIENT_ID || 'usher',
    client_secret: env.OIDC_CLIENT_SECRET || 'usher-test-secret',
    redirect_uris: redirectUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  // PKCE (S256, the only method this version accepts) for every client, not just public ones.
  pkce: { required: () => true },
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username'],
    email: ['email'],
    groups: ['groups'],
  },
  conformIdTokenClaims: env.OIDC_CLAIMS_IN_ID_TOKEN !== '1',
  findAccount(ctx, sub) {
    return {
      accountId: sub,
      claims() {
        return {
          sub,
          name: `${sub[0].toUpperCase()}${sub.slice(1)} Tester`,
          preferred_username: sub,
          email: `${sub}@example.test`,
          groups: groups[sub] || [],
        };
      },
    };
  },
  // Consent is granted at once for what the client asked (the provider's documented way to skip
  // the consent screen for a first-party client), so a login is one form post.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      return ctx.oidc.provider.Grant.find(grantId);
    }
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope([...ctx.oidc.requestParamScopes].join(' '));
    await grant.save();
    return grant;
  },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['usher-e2e-cookie-key-not-a-secret'] },
});

provider.on('server_error', (ctx, err) => console.error('server_error', err));
server.on('request', provider.callback());
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
console.log(`issuer ${issuer}`);
