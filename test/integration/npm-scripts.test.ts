import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from 'src/seed/demo-directory.js';

const run = promisify(execFile);
const scratch: string[] = [];
afterAll(() => {
  for (const path of scratch) rmSync(path, { recursive: true, force: true });
});

describe('npm run token', () => {
  it('lists the demo users without deleting or rebuilding dist/ under a running gateway', async () => {
    // A file the running gateway's build would hold: it must still be there afterwards.
    mkdirSync('dist', { recursive: true });
    const sentinel = join('dist', `gateway-${randomUUID()}.js`);
    writeFileSync(sentinel, '// the running gateway\n');
    scratch.push(sentinel);
    const dataDir = mkdtempSync(join(tmpdir(), 'tandem-token-script-'));
    scratch.push(dataDir);
    const { stdout } = await run('npm', ['run', '-s', 'token', '--', '--list'], {
      env: { ...process.env, NODE_ENV: 'development', DATA_DIR: dataDir, AUTH_JWKS_URL: '' },
      timeout: 120_000,
    });
    expect(stdout.trim().split('\n')).toHaveLength(DEMO_USERS.length);
    expect(existsSync(sentinel)).toBe(true);
  });
});

describe('the Node.js version package.json promises', () => {
  it('is the one every locked package supports: npm ci fails on an engine mismatch, and finds none', async () => {
    expect(readFileSync('.npmrc', 'utf8')).toMatch(/^engine-strict=true$/m);
    const copy = mkdtempSync(join(tmpdir(), 'tandem-engines-'));
    scratch.push(copy);
    for (const file of ['package.json', 'package-lock.json', '.npmrc']) copyFileSync(file, join(copy, file));
    // From the lockfile alone: nothing is installed, nothing fetched.
    const { stderr } = await run('npm', ['ci', '--dry-run', '--offline', '--no-audit', '--no-fund'], {
      cwd: copy,
      timeout: 120_000,
    });
    expect(stderr).not.toContain('EBADENGINE');
  });
});
