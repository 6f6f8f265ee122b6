import { AppConfig } from 'src/config/app-config.js';
import { DevelopmentSigningKey } from 'src/auth/keys/development-signing-key.js';
import { DEMO_USERS, demoUser } from 'src/seed/demo-directory.js';

const LIFETIME_SECONDS = 15 * 60;

/**
 * `npm run token -- <demo-user>` prints a short-lived development token on stdout;
 * `npm run token -- --list` lists the demo users. Refused in production, where tokens come from
 * the identity provider.
 */
export function tokenCommand(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  out: { stdout: (text: string) => void; stderr: (text: string) => void },
): number {
  const config = AppConfig.fromEnvironment(env);
  if (config.isProduction || config.auth.mode === 'production') {
    out.stderr('Refused: development tokens are not available in production (NODE_ENV=production or AUTH_JWKS_URL set).\n');
    return 2;
  }
  const [first] = args;
  if (!first || first === '--help') {
    out.stderr('Usage: npm run token -- <demo-user>   |   npm run token -- --list\n');
    return first ? 0 : 2;
  }
  if (first === '--list') {
    const width = Math.max(...DEMO_USERS.map((user) => user.subject.length));
    for (const user of DEMO_USERS) {
      out.stdout(`${user.subject.padEnd(width)}  ${user.agency.padEnd(24)} ${user.roles.join(',').padEnd(34)} ${user.name}\n`);
    }
    return 0;
  }
  const user = demoUser(first);
  if (!user) {
    out.stderr(`No demo user "${first}"; see npm run token -- --list\n`);
    return 2;
  }
  const key = DevelopmentSigningKey.loadOrCreate(config.dataDir);
  const token = key.sign(
    { sub: user.subject, name: user.name, agency: user.agency, case_system: user.caseSystem, roles: [...user.roles] },
    { issuer: config.auth.issuer, audience: config.auth.audience, expiresInSeconds: LIFETIME_SECONDS },
  );
  out.stdout(`${token}\n`);
  return 0;
}
