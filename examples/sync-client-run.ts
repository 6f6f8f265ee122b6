/**
 * `npm run sync-client`: runs the reference change-feed client (examples/sync-client.ts) once, for
 * the demo child Jordan Pryce as the Derby YOS case system keeps them, against a gateway started
 * with `npm start`. Run it again to pick up what changed since; the case file is SYNC_FILE
 * (default `sync-case-file.json`).
 */
import { AppConfig } from 'src/config/app-config.js';
import { DevelopmentSigningKey } from 'src/auth/keys/development-signing-key.js';
import { syncCarePlans } from './sync-client.js';

const url = process.env.TANDEM_URL ?? 'http://127.0.0.1:4000/graphql';
const file = process.env.SYNC_FILE ?? 'sync-case-file.json';

/**
 * In development, stands in for the identity provider's token exchange (RFC 8693): the Derby YOS
 * ChildView client acting for Dana Hughes, signed with the gateway's development key.
 */
function developmentToken(): string {
  const config = AppConfig.fromEnvironment(process.env);
  if (config.isProduction || config.auth.mode === 'production') {
    throw new Error('Set TANDEM_TOKEN: development tokens are not available in production');
  }
  return DevelopmentSigningKey.loadOrCreate(config.dataDir).sign(
    {
      sub: 'dana.hughes',
      name: 'Dana Hughes',
      agency: 'derby-yos',
      case_system: 'derby-yos-childview',
      roles: ['YOS_CASE_MANAGER'],
      act: { sub: 'derby-yos-childview-client' },
    },
    { issuer: config.auth.issuer, audience: config.auth.audience, expiresInSeconds: 15 * 60 },
  );
}

try {
  const result = await syncCarePlans({
    url,
    token: process.env.TANDEM_TOKEN ?? developmentToken(),
    file,
    child: { givenName: 'Jordan', familyName: 'Pryce', dateOfBirth: '2010-03-14', reference: 'CV-88231' },
    log: (line) => console.log(line),
  });
  console.log(`${result.changesRead} changes read; ${Object.keys(result.state.plans).length} CSC plans in ${file}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
