import { afterEach, describe, expect, it, vi } from 'vitest';
import { Principal } from 'src/auth/principal.js';
import type { Role } from 'src/auth/roles.js';
import { AppConfig } from 'src/config/app-config.js';
import type { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { combineDirectory, DIRECTORY_FILES_DIR, readDirectoryFiles } from 'src/directory/files/directory-files.js';
import { AbilityFactory, type TandemAbility } from 'src/policy/ability.factory.js';
import type { AccessRepository } from 'src/policy/access.repository.js';
import type { ChildAccess, SubjectAttributes } from 'src/policy/access-subject.js';
import { readAgreementFiles } from 'src/policy/agreements/agreement-files.js';
import type { AgreementRegistry, LoadedAgreement } from 'src/policy/agreements/agreement-registry.service.js';
import { DecisionCache } from 'src/policy/decision-cache.js';
import { PolicyService } from 'src/policy/policy.service.js';
import { relationshipsOf } from 'src/policy/relationship.js';
import { RECORD_TYPE_BY_KIND } from 'src/records/models/shared-record.model.js';
import { AgencyKind, InvolvementRole } from 'src/vocabulary/children.enums.js';
import { PurposeOfUse } from 'src/vocabulary/purpose.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import type { EmergencyReason } from 'src/vocabulary/emergency-reason.js';
import { Placement } from 'src/children/models/child.model.js';
import { SensitivityClass } from 'src/vocabulary/sensitivity/sensitivity-class.js';

/**
 * Field decisions are kept across requests (per ability and subject attributes). What a caller
 * receives must be exactly what a policy deciding afresh gives: the same fields, the same withheld
 * list, and grants and gates for the classes this projection asked about and no others.
 */
const loaded: LoadedAgreement[] = readAgreementFiles('policy/agreements').map((file) => ({
  agreement: file.agreement,
  checksum: '',
}));
const directoryContents = combineDirectory(readDirectoryFiles(DIRECTORY_FILES_DIR).map((file) => file.document));
const agency = (code: string) => {
  const found = directoryContents.agencies.find((candidate) => candidate.code === code);
  if (!found) throw new Error(code);
  return { id: `id-${code}`, code, kind: found.kind, localAuthorityId: null };
};
const directory = { agencyByCode: (code: string) => Promise.resolve(agency(code)) } as unknown as AgencyDirectory;
const config = AppConfig.fromEnvironment({ NODE_ENV: 'test' });
const policyOn = (registry: AgreementRegistry) =>
  new PolicyService(config, new AbilityFactory(registry, directory), {} as AccessRepository, registry, directory);
// The same array on every call, as the registry gives it once loaded: decisions are kept.
const kept = () => policyOn({ agreements: () => loaded } as unknown as AgreementRegistry);
// A new array on every call: the kept decisions start again each time, so each is made afresh.
const fresh = policyOn({ agreements: () => [...loaded] } as unknown as AgreementRegistry);
const JUSTIFICATION = 'The child is missing tonight and the carers need the placement address to search for them';

interface Case {
  /** The caller as a request states it: each projection gets its own, as each request does. */
  readonly principal: () => Principal;
  readonly type: Function;
  readonly attributes: SubjectAttributes;
}

interface Caller {
  readonly to: string;
  readonly roles: Role[];
  readonly purpose: PurposeOfUse;
  readonly agencyRoles: InvolvementRole[];
  readonly emergency?: { readonly reason: EmergencyReason; readonly childInvolvement: string };
  /** The agency a grant to this caller comes from (one of the owners its subjects have). */
  readonly owner?: string;
}

/**
 * Callers the agreements name: 10 single-role callers; callers with two roles, in both orders (a
 * default denial names the roles as the token gives them); the police (C3); every emergency
 * clause's callers; the callers of every grant behind a gate.
 */
function callers(): Caller[] {
  const single = new Map<string, Caller>();
  const byAgency = new Map<string, Set<Role>>();
  for (const { agreement } of loaded) {
    for (const grant of agreement.grants) {
      for (const role of grant.roles) {
        byAgency.set(grant.to, (byAgency.get(grant.to) ?? new Set()).add(role));
        for (const purpose of [PurposeOfUse.CASE_MANAGEMENT, PurposeOfUse.SAFEGUARDING])
          single.set(`${grant.to}|${role}|${purpose}`, {
            to: grant.to,
            roles: [role],
            purpose,
            agencyRoles: grant.involvementRoles ?? [InvolvementRole.YOS_HOME],
            owner: grant.from,
          });
      }
    }
  }
  const pairs = [...byAgency].flatMap(([to, roles]) => {
    const [first, second] = [...roles];
    return first && second
      ? [
          [first, second],
          [second, first],
        ].map((pair) => ({
          to,
          roles: pair,
          purpose: PurposeOfUse.CASE_MANAGEMENT,
          agencyRoles: [InvolvementRole.CSC],
        }))
      : [];
  });
  const emergency = loaded.flatMap(({ agreement }) =>
    (agreement.emergency ?? []).map((clause) => ({
      to: clause.to,
      roles: [clause.roles[0] as Role],
      purpose: PurposeOfUse.EMERGENCY,
      agencyRoles: [],
      emergency: {
        reason: clause.reasons[0] as EmergencyReason,
        childInvolvement: `${agency(clause.childrenOf[0] as string).id}:${clause.involvementRoles?.[0] ?? InvolvementRole.CSC}`,
      },
    })),
  );
  const gated = loaded.flatMap(({ agreement }) =>
    agreement.grants.flatMap((grant) =>
      grant.requires
        ? [
            {
              to: grant.to,
              roles: grant.roles.slice(0, 1),
              purpose: grant.purposes[0] as PurposeOfUse,
              agencyRoles: grant.involvementRoles ?? [InvolvementRole.YOS_HOME],
              owner: grant.from,
            },
          ]
        : [],
    ),
  );
  // The police read under C3: what a record says depends on when the investigation began.
  const police = [...single.values()].filter((caller) => agency(caller.to).kind === AgencyKind.POLICE);
  return [...[...single.values()].slice(0, 10), ...police, ...pairs.slice(0, 4), ...emergency, ...gated];
}

const KINDS = [RecordKind.CARE_PLAN, RecordKind.ASSET_PLUS];
const CREATED = new Date('2026-01-01T00:00:00Z');
const INVESTIGATION = new Date('2025-06-01T00:00:00Z');

interface Variant {
  readonly access: ChildAccess;
  readonly createdAt: Date;
}

/**
 * A subject as the base has it, and one variant for each attribute the rules read, differing from it
 * in that attribute alone: a kept decision that ignored one would be given to its neighbour.
 */
function variants(caller: Caller, relationship: ChildAccess['relationship']): Variant[] {
  const base: ChildAccess = {
    relationship,
    agencyRoles: caller.agencyRoles,
    contactRestricted: false,
    policeInvestigationSince: null,
    allocationEnded: false,
  };
  const involvements = caller.emergency ? [caller.emergency.childInvolvement] : ['other:CSC'];
  return [
    { access: base, createdAt: CREATED },
    { access: { ...base, contactRestricted: true }, createdAt: CREATED },
    { access: { ...base, agencyRoles: caller.agencyRoles.length > 0 ? [] : [InvolvementRole.CSC] }, createdAt: CREATED },
    { access: { ...base, childInvolvements: involvements }, createdAt: CREATED },
    // An investigation opened before the record was made (C3), then the same one after it.
    { access: { ...base, policeInvestigationSince: INVESTIGATION }, createdAt: CREATED },
    { access: { ...base, policeInvestigationSince: INVESTIGATION }, createdAt: new Date('2024-01-01T00:00:00Z') },
  ];
}

/**
 * Subjects that share a caller's ability but differ in what the rules read: relationship and owner
 * (the caller's grant's and another), and from each such base one attribute at a time (involvement
 * roles, contact restriction, a police investigation, the child's involvements, the gates: a court
 * order, a third party's permission); records of two kinds, and the child's details.
 */
function cases(policy: PolicyService): Case[] {
  const found: Case[] = [];
  for (const caller of callers()) {
    const request = () =>
      new Principal('cache', 'Cache', agency(caller.to), { id: 'cs', code: 'cs' }, caller.roles, {
        header: caller.purpose,
        justification: caller.emergency ? JUSTIFICATION : undefined,
        accessReason: caller.emergency?.reason,
      });
    const principal = request();
    const owners = [...new Set([caller.owner ?? 'derby-csc', 'wetherby-yoi'])];
    for (const relationship of [relationshipsOf(caller.roles).slice(0, 1), []])
      for (const owner of owners)
        for (const { access, createdAt } of variants(caller, relationship)) {
          const attributes = policy.detailAttributes(principal, agency(owner).id, access);
          found.push({ principal: request, type: Placement, attributes });
          for (const kind of KINDS)
            for (const [courtOrderReference, thirdPartyPermissionReference] of [
              [null, null],
              ['CO-1', null],
              [null, 'TP-1'],
            ] as const) {
              const facts = {
                childId: 'child',
                owningAgencyId: agency(owner).id,
                kind,
                createdAt,
                courtOrderReference,
                consentReference: null,
                thirdPartyPermissionReference,
              };
              found.push({
                principal: request,
                type: RECORD_TYPE_BY_KIND[kind],
                attributes: policy.recordAttributes(principal, facts, access),
              });
            }
        }
  }
  return found;
}

async function projected(policy: PolicyService, { principal, type, attributes }: Case) {
  const result = await policy.project(principal(), type, { id: 'r', summary: 'x' }, attributes);
  return { ...result, grants: [...result.grants], gates: [...(result.gates ?? [])] };
}

describe('field decisions kept across requests', () => {
  it('give every projection what deciding afresh gives, in any order', async () => {
    const policy = kept();
    const all = cases(policy);
    expect(all.length).toBeGreaterThan(3_000);
    const expected = await Promise.all(all.map((one) => projected(fresh, one)));
    // The cases reach defaults, gates and break-glass as well as plain grants.
    const rules = new Set(expected.flatMap((one) => one.withheld.map((entry) => entry.rule)));
    expect([...rules]).toEqual(expect.arrayContaining(['DEFAULT-DENY', 'C1', 'C2', 'C3']));
    expect(expected.some((one) => one.grants.some(([, grant]) => grant.rule.startsWith('BREAK-GLASS')))).toBe(true);
    // ... and both gates opened by what the record holds.
    const opened = new Set(expected.flatMap((one) => one.gates.map(([, gate]) => gate)));
    expect([...opened].sort()).toEqual(['COURT_ORDER_OR_CONSENT', 'THIRD_PARTY_PERMISSION']);
    for (const order of [all.map((_, index) => index), all.map((_, index) => all.length - 1 - index)]) {
      const wrong: number[] = [];
      for (const index of order)
        if (JSON.stringify(await projected(policy, all[index] as Case)) !== JSON.stringify(expected[index])) wrong.push(index);
      expect(wrong).toEqual([]);
    }
  });

  it('list grants only for the classes a projection asked about, though another call decided more', async () => {
    const policy = kept();
    // Subjects for which the agreements allow classes that the projected type does not hold.
    let checked = 0;
    for (const one of cases(policy).slice(0, 3000)) {
      const expected = await projected(fresh, one);
      const explained = await policy.explain(one.principal(), one.attributes);
      if (expected.grants.length >= explained.filter((entry) => entry.allowed).length) continue;
      // explain decided every class for this subject first; the projection lists only its own.
      expect(await projected(policy, one)).toEqual(expected);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('follow the agreements loaded and the day, not what was loaded when a decision was first made', async () => {
    let agreements: readonly LoadedAgreement[] = loaded;
    const policy = policyOn({ agreements: () => agreements } as unknown as AgreementRegistry);
    // A caller's record with a class no agreement in force gives it.
    let one: Case | undefined;
    for (const candidate of cases(policy)) {
      if (candidate.principal().statedPurpose !== PurposeOfUse.CASE_MANAGEMENT) continue;
      if ((await projected(fresh, candidate)).withheld.some((entry) => entry.rule === 'DEFAULT-DENY')) {
        one = candidate;
        break;
      }
    }
    if (!one) throw new Error('no default denial among the cases');
    const before = await projected(policy, one);
    expect(before.withheld.some((entry) => entry.rule === 'DEFAULT-DENY')).toBe(true);
    // An agreement that would cover every class for this caller, not yet in force: the default
    // denial names it from now on (the rules themselves only change with the agreements in force).
    const [first] = loaded;
    if (!first) throw new Error('no agreements');
    const future: LoadedAgreement = {
      checksum: '',
      agreement: {
        ...first.agreement,
        id: 'future-agreement',
        effectiveFrom: '2999-01-01',
        reviewDate: '2999-12-31',
        grants: first.agreement.grants.map((grant) => ({
          ...grant,
          to: one.principal().agency.code,
          roles: [...one.principal().roles],
          purposes: [PurposeOfUse.CASE_MANAGEMENT],
          classes: Object.values(SensitivityClass),
        })),
      },
    };
    agreements = [...loaded, future];
    const after = await projected(policy, one);
    expect(after).toEqual(await projected(policyOn({ agreements: () => agreements } as unknown as AgreementRegistry), one));
    expect(after.withheld.some((entry) => entry.rule.startsWith('future-agreement@'))).toBe(true);
  });
});

describe('field decisions kept across a clock moved past a review date', () => {
  afterEach(() => vi.useRealTimers());

  it("stop a grant the day after its agreement's review date, as deciding afresh does", async () => {
    const policy = kept();
    // A case a Derby YOS–CSC grant allows today; that agreement is reviewed on 2027-05-20.
    const derby = loaded.find(({ agreement }) => agreement.id === 'derby-yos-csc');
    if (!derby) throw new Error('no derby-yos-csc agreement');
    let one: Case | undefined;
    for (const candidate of cases(policy)) {
      const result = await projected(fresh, candidate);
      if (result.grants.some(([, grant]) => grant.rule.startsWith(`${derby.agreement.id}@`))) {
        one = candidate;
        break;
      }
    }
    if (!one) throw new Error('no case under derby-yos-csc');
    const before = await projected(policy, one);
    expect(before.grants.some(([, grant]) => grant.rule.startsWith(`${derby.agreement.id}@`))).toBe(true);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(`${derby.agreement.reviewDate}T12:00:00Z`).getTime() + 24 * 3600 * 1000);
    const after = await projected(policy, one);
    expect(after).toEqual(await projected(fresh, one));
    expect(after.grants.some(([, grant]) => grant.rule.startsWith(`${derby.agreement.id}@`))).toBe(false);
    expect(
      after.withheld.some((entry) => entry.rule === `${derby.agreement.id}@v${derby.agreement.version} (not in force)`),
    ).toBe(true);
  });
});

describe('DecisionCache', () => {
  const ability = {} as TandemAbility;
  const attributes = (kind: RecordKind): string => `SharedRecord|${kind}`;
  const counting = () => {
    let calls = 0;
    return { permitted: () => (calls++, new Set<string>()), calls: () => calls };
  };

  it('decides a subject once while the ability and its inputs stay the same', () => {
    const cache = new DecisionCache();
    const counter = counting();
    const inputs = [loaded, '2026-12-03'];
    const first = cache.decisionsFor(ability, attributes(RecordKind.CARE_PLAN), inputs, counter.permitted);
    expect(cache.decisionsFor(ability, attributes(RecordKind.CARE_PLAN), [loaded, '2026-12-03'], counter.permitted)).toBe(first);
    expect(counter.calls()).toBe(1);
    expect(cache.decisionsFor(ability, attributes(RecordKind.PLACEMENT_PLAN), inputs, counter.permitted)).not.toBe(first);
    expect(cache.decisionsFor({} as TandemAbility, attributes(RecordKind.CARE_PLAN), inputs, counter.permitted)).not.toBe(first);
    expect(counter.calls()).toBe(3);
  });

  it('decides again once the agreements or the day change', () => {
    const cache = new DecisionCache();
    const counter = counting();
    const first = cache.decisionsFor(ability, attributes(RecordKind.CARE_PLAN), [loaded, '2026-12-03'], counter.permitted);
    const reloaded = cache.decisionsFor(
      ability,
      attributes(RecordKind.CARE_PLAN),
      [[...loaded], '2026-12-03'],
      counter.permitted,
    );
    expect(reloaded).not.toBe(first);
    const nextDay = cache.decisionsFor(ability, attributes(RecordKind.CARE_PLAN), [loaded, '2026-12-04'], counter.permitted);
    expect(nextDay).not.toBe(reloaded);
    expect(counter.calls()).toBe(3);
  });

  it('keeps a bounded number of subjects', () => {
    const cache = new DecisionCache();
    const counter = counting();
    const inputs = [loaded, '2026-12-03'];
    const subject = (index: number): string => `SharedRecord|a${index}`;
    for (let index = 0; index <= 512; index++) cache.decisionsFor(ability, subject(index), inputs, counter.permitted);
    cache.decisionsFor(ability, subject(0), inputs, counter.permitted);
    expect(counter.calls()).toBe(514);
  });

  it('keeps a bounded number of subjects in all, whatever the number of abilities', () => {
    const cache = new DecisionCache();
    const counter = counting();
    const inputs = [loaded, '2026-12-03'];
    const abilities = Array.from({ length: 17 }, () => ({}) as TandemAbility);
    // 17 abilities × 500 subjects: each under its own limit, 8,500 in all.
    for (const each of abilities)
      for (let index = 0; index < 500; index++) cache.decisionsFor(each, `SharedRecord|a${index}`, inputs, counter.permitted);
    const before = counter.calls();
    expect(before).toBe(8500);
    // Everything started again at 8,192: the first ability's first subject is decided again.
    cache.decisionsFor(abilities[0] as TandemAbility, 'SharedRecord|a0', inputs, counter.permitted);
    expect(counter.calls()).toBe(before + 1);
    // ... and the last ability's last subject, added after that, is still kept.
    cache.decisionsFor(abilities[16] as TandemAbility, 'SharedRecord|a499', inputs, counter.permitted);
    expect(counter.calls()).toBe(before + 1);
  });
});
