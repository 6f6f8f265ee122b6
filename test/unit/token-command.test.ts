import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { tokenCommand } from 'src/cli/token-command.js';
import { DEMO_USERS } from 'src/seed/demo-directory.js';
import { Role } from 'src/auth/roles.js';

function run(args: string[], env: NodeJS.ProcessEnv) {
  const out = { stdout: '', stderr: '' };
  const code = tokenCommand(args, env, { stdout: (text) => (out.stdout += text), stderr: (text) => (out.stderr += text) });
  return { code, ...out };
}

describe('npm run token', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tandem-token-'));

  it('prints a short-lived token for a demo user on stdout, and nothing else', () => {
    const result = run(['dana.hughes'], { DATA_DIR: dataDir });
    expect(result.code).toBe(0);
    const claims = jwt.decode(result.stdout.trim()) as Record<string, unknown>;
    expect(claims).toMatchObject({
      sub: 'dana.hughes',
      agency: 'derby-yos',
      case_system: 'derby-yos-childview',
      roles: ['YOS_CASE_MANAGER'],
      aud: 'tandem',
    });
    // API.md: valid 15 minutes.
    expect(Number(claims.exp) - Number(claims.iat)).toBe(900);
  });

  it('lists the demo users with agency and role, one per line', () => {
    const result = run(['--list'], { DATA_DIR: dataDir });
    expect(result.stdout.trim().split('\n')).toHaveLength(DEMO_USERS.length);
    expect(result.stdout).toMatch(/dana\.hughes\s+derby-yos\s+YOS_CASE_MANAGER/);
  });

  it('has a demo user for every role', () => {
    expect(new Set(DEMO_USERS.flatMap((user) => user.roles))).toEqual(new Set(Object.values(Role)));
  });

  it('refuses an unknown user', () => {
    expect(run(['nobody'], { DATA_DIR: dataDir }).code).toBe(2);
  });

  it('refuses to work in production', () => {
    const production = {
      NODE_ENV: 'production',
      AUTH_JWKS_URL: 'https://idp.test/jwks',
      AUTH_ISSUER: 'https://idp.test',
      DATABASE_URL: 'postgres://x@127.0.0.1/x',
      AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    };
    for (const args of [['dana.hughes'], ['--list']]) {
      const result = run(args, production);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/not available in production/);
    }
  });

  it('refuses to work where tokens come from an identity provider (AUTH_JWKS_URL), outside production too', () => {
    const result = run(['dana.hughes'], {
      DATA_DIR: dataDir,
      AUTH_JWKS_URL: 'https://idp.test/jwks',
      AUTH_ISSUER: 'https://idp.test',
    });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/AUTH_JWKS_URL set/);
  });
});
