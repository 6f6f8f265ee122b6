import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppConfig } from 'src/config/app-config.js';
import { AgencyKind, InvolvementRole } from 'src/vocabulary/children.enums.js';
import {
  REQUIRED_TRANSITIONS,
  responsibilityPolicySchema,
  type ResponsibilityPolicy,
} from 'src/responsibility/protocol-policy.schema.js';
import { checkResponsibilityFiles, readResponsibilityFiles } from 'src/responsibility/responsibility-files.js';
import { recordingRule } from 'src/responsibility/recording.js';
import { ResponsibilityRegistry, type ResponsibilityPolicyStore } from 'src/responsibility/responsibility-registry.service.js';
import type { StoredResponsibilityPolicy } from 'src/responsibility/responsibility-policy.repository.js';

const FOLDER = 'policy/responsibility';

/** Keeps what the repository would, in memory. */
class FakeStore implements ResponsibilityPolicyStore {
  readonly rows: StoredResponsibilityPolicy[] = [];
  readonly changes: { readonly id: string; readonly version: number; readonly actor: string }[] = [];

  all(): Promise<StoredResponsibilityPolicy[]> {
    return Promise.resolve([...this.rows].sort((a, b) => (a.id === b.id ? a.version - b.version : a.id < b.id ? -1 : 1)));
  }

  insertVersion(row: StoredResponsibilityPolicy, actor: string): Promise<boolean> {
    if (this.rows.some((stored) => stored.id === row.id && stored.version === row.version)) return Promise.resolve(false);
    this.rows.push(row);
    this.changes.push({ id: row.id, version: row.version, actor });
    return Promise.resolve(true);
  }
}

function registry(folder: string, store: FakeStore): ResponsibilityRegistry {
  const config = AppConfig.fromEnvironment({ NODE_ENV: 'test', DATA_DIR: tmpdir(), POLICY_RESPONSIBILITY_DIR: folder });
  return new ResponsibilityRegistry(config, store);
}

/** A copy of the real files whose `file` has been changed by `edit`. */
function editedCopy(file: string, edit: (policy: ResponsibilityPolicy) => ResponsibilityPolicy): string {
  const folder = mkdtempSync(join(tmpdir(), 'tandem-responsibility-'));
  cpSync(FOLDER, folder, { recursive: true });
  const policy = responsibilityPolicySchema.parse(JSON.parse(readFileSync(join(folder, file), 'utf8')));
  writeFileSync(join(folder, file), JSON.stringify(edit(policy), null, 2));
  return folder;
}

describe('responsibility policy files (policy/responsibility)', () => {
  const files = readResponsibilityFiles(FOLDER);
  const byAuthority = new Map(files.map(({ policy }) => [policy.localAuthority, policy]));

  it('load and validate, one per authority', () => {
    expect(files.map(({ file, policy }) => [file, `${policy.id}@v${policy.version}`, policy.localAuthority])).toEqual([
      ['derby.json', 'derby-responsibility@v4', 'derby'],
      ['hammersmith-fulham.json', 'hammersmith-fulham-responsibility@v4', 'hammersmith-fulham'],
      ['islington.json', 'islington-responsibility@v4', 'islington'],
      ['somerset.json', 'somerset-responsibility@v4', 'somerset'],
    ]);
  });

  it('adopt T3 only in Somerset (DECISIONS §2) and the remand variant only in H&F (DECISIONS §3)', () => {
    for (const { policy } of files) {
      const t3 = policy.lookedAfter.transitions.filter((row) => row.rule === 'T3' && row.trigger.dimension === 'JUSTICE');
      expect(
        t3.map((row) => row.adopted),
        policy.id,
      ).toEqual([policy.localAuthority === 'somerset']);
      expect(policy.careLeaver.remandVariant.adopted, policy.id).toBe(policy.localAuthority === 'hammersmith-fulham');
    }
  });

  it('encode every row of Table 4.2 with an outcome, and say why T13, T16 and T17 are not', () => {
    for (const { policy } of files) {
      expect(new Set(policy.lookedAfter.transitions.map((row) => row.rule))).toEqual(
        new Set([...REQUIRED_TRANSITIONS, 'T14-END', 'LAC-CARE-BASIS', 'LAC-CARE-END', 'LAC-CARE-END-REMAND']),
      );
      expect(policy.lookedAfter.notEncoded.map((row) => row.rule)).toEqual(['T13', 'T16', 'T17']);
    }
  });

  it('refuse a lead list without a catch-all, and a missing transition', () => {
    const derby = byAuthority.get('derby');
    if (!derby) throw new Error('no Derby policy');
    const noCatchAll = { ...derby, leadProfessional: derby.leadProfessional.slice(0, -1) };
    expect(responsibilityPolicySchema.safeParse(noCatchAll).error?.issues[0]?.message).toContain('catch-all');
    const noT7 = {
      ...derby,
      lookedAfter: { ...derby.lookedAfter, transitions: derby.lookedAfter.transitions.filter((row) => row.rule !== 'T7') },
    };
    expect(responsibilityPolicySchema.safeParse(noT7).error?.issues[0]?.message).toBe('T7 is missing');
  });

  it('refuse two files for one authority, and a folder without the default authority', () => {
    const derby = files.find(({ policy }) => policy.localAuthority === 'derby');
    const islington = files.find(({ policy }) => policy.localAuthority === 'islington');
    if (!derby || !islington) throw new Error('files missing');
    const twin = { ...islington, file: 'twin.json', policy: { ...islington.policy, id: 'twin' } };
    expect(() => checkResponsibilityFiles([derby, islington, twin])).toThrow(/repeats the local authority islington/);
    expect(() => checkResponsibilityFiles([islington])).toThrow(/no responsibility policy for derby/);
  });

  it('let CSC record the care basis and the home YOS the justice status, and nobody else', () => {
    const derby = byAuthority.get('derby');
    if (!derby) throw new Error('no Derby policy');
    const as = (agencyKind: AgencyKind, ...involvementRoles: InvolvementRole[]) => ({ agencyKind, involvementRoles });
    expect(recordingRule(derby, 'CARE', as(AgencyKind.CHILDRENS_SOCIAL_CARE, InvolvementRole.CSC))).toMatchObject({
      rule: 'REC-CARE',
      policy: 'derby-responsibility@v4',
    });
    expect(recordingRule(derby, 'JUSTICE', as(AgencyKind.YOUTH_JUSTICE, InvolvementRole.YOS_HOME))).toMatchObject({
      rule: 'REC-JUSTICE',
    });
    // A host YOS caretakes: the home YOS keeps case management and enforcement (001 §6.16, 002 §9.1).
    expect(
      recordingRule(derby, 'JUSTICE', {
        ...as(AgencyKind.YOUTH_JUSTICE, InvolvementRole.YOS_HOST),
        heldRoles: [InvolvementRole.YOS_HOME],
      }),
    ).toBeNull();
    // Care bases by the child's own authority's CSC: another authority's, involved since, does not end its care order.
    const csc = { ...as(AgencyKind.CHILDRENS_SOCIAL_CARE, InvolvementRole.CSC), childsAuthorityId: 'derby' };
    expect(recordingRule(derby, 'CARE', { ...csc, authorityId: 'derby' })).toMatchObject({ rule: 'REC-CARE' });
    expect(recordingRule(derby, 'CARE', { ...csc, authorityId: 'islington' })).toBeNull();
    // Unless no home YOS works with the child through Tandem: then the YOS that does records.
    expect(
      recordingRule(derby, 'JUSTICE', {
        ...as(AgencyKind.YOUTH_JUSTICE, InvolvementRole.YOS_HOST),
        heldRoles: [InvolvementRole.YOS_HOST],
      }),
    ).toMatchObject({
      rule: 'REC-JUSTICE-HOST',
    });
    expect(recordingRule(derby, 'JUSTICE', as(AgencyKind.YOUTH_JUSTICE))).toBeNull();
    expect(recordingRule(derby, 'CARE', as(AgencyKind.YOUTH_JUSTICE, InvolvementRole.YOS_HOME))).toBeNull();
    expect(recordingRule(derby, 'JUSTICE', as(AgencyKind.CHILDRENS_SOCIAL_CARE, InvolvementRole.CSC))).toBeNull();
    expect(recordingRule(derby, 'JUSTICE', as(AgencyKind.POLICE))).toBeNull();
  });
});

describe('ResponsibilityRegistry', () => {
  it('stores each new version with an audit entry naming the start-up and the file, once', async () => {
    const store = new FakeStore();
    await registry(FOLDER, store).load();
    expect(store.changes.map(({ id, version }) => `${id}@${version}`)).toEqual([
      'derby-responsibility@4',
      'hammersmith-fulham-responsibility@4',
      'islington-responsibility@4',
      'somerset-responsibility@4',
    ]);
    expect(store.changes[0]?.actor).toMatch(/^start-up on .+ from derby\.json$/);
    await registry(FOLDER, store).load();
    expect(store.changes).toHaveLength(4);
  });

  it("gives each authority its own rules, and Derby's to an authority without a file (DECISIONS §1)", async () => {
    const loaded = registry(FOLDER, new FakeStore());
    await loaded.load();
    expect(loaded.forAuthority('somerset').id).toBe('somerset-responsibility');
    expect(loaded.forAuthority('islington').id).toBe('islington-responsibility');
    expect(loaded.forAuthority('camden').id).toBe('derby-responsibility');
    expect(loaded.forAuthority(null).id).toBe('derby-responsibility');
    expect(loaded.all()).toHaveLength(4);
  });

  it('refuses a file edited without a new version', async () => {
    const store = new FakeStore();
    await registry(FOLDER, store).load();
    const edited = editedCopy('somerset.json', (policy) => ({ ...policy, title: `${policy.title} (edited)` }));
    await expect(registry(edited, store).load()).rejects.toThrow(
      'Responsibility policy somerset-responsibility version 4 (somerset.json) differs from the stored one: give the change a new version',
    );
  });

  it('takes an edit with a new version, and applies the latest', async () => {
    const store = new FakeStore();
    await registry(FOLDER, store).load();
    const edited = editedCopy('somerset.json', (policy) => ({ ...policy, version: 5, title: `${policy.title} (v5)` }));
    const loaded = registry(edited, store);
    await loaded.load();
    expect(store.changes.at(-1)).toMatchObject({ id: 'somerset-responsibility', version: 5 });
    const somerset = loaded.forAuthority('somerset');
    expect([somerset.version, somerset.title.endsWith('(v5)')]).toEqual([5, true]);
  });
});
