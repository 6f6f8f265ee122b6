import { describe, expect, it } from 'vitest';
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
import { InvolvementRole } from 'src/vocabulary/children.enums.js';
import { PurposeOfUse } from 'src/vocabulary/purpose.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';
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
// The same array on every call, as the registry gives it between reloads: decisions are kept.
const registry = { agreements: () => loaded } as unknown as AgreementRegistry;
const config = AppConfig.fromEnvironment({ NODE_ENV: 'test' });
const newPolicy = () =>
  new PolicyService(config, new AbilityFactory(registry, directory), {} as AccessRepository, registry, directory);

interface Case {
  readonly principal: Principal;
  readonly attributes: SubjectAttributes;
  readonly kind: RecordKind;
}

/**
 * Subjects that share an ability (one caller's agency, role and purpose) but differ in what the
 * rules read: the relationship, the owner, a contact restriction, a court order, the record's kind.
 */
function cases(policy: PolicyService): Case[] {
  const owners = [...new Set(loaded.flatMap(({ agreement }) => agreement.grants.map((grant) => grant.from)))].slice(0, 3);
  const callers = new Map<string, { to: string; role: Role; purpose: PurposeOfUse; agencyRoles: InvolvementRole[] }>();
  for (const { agreement } of loaded)
    for (const grant of agreement.grants)
      for (const role of grant.roles)
        for (const purpose of [PurposeOfUse.CASE_MANAGEMENT, PurposeOfUse.SAFEGUARDING])
          callers.set(`${grant.to}|${role}|${purpose}`, {
            to: grant.to,
            role,
            purpose,
            agencyRoles: grant.involvementRoles ?? [InvolvementRole.YOS_HOME],
          });
  const found: Case[] = [];
  for (const { to, role, purpose, agencyRoles } of [...callers.values()].slice(0, 24)) {
    const principal = new Principal('cache', 'Cache', agency(to), { id: 'cs', code: 'cs' }, [role], {
      header: purpose,
      justification: undefined,
    });
    for (const relationship of [...relationshipsOf([role]).map((one) => [one]), []])
      for (const contactRestricted of [false, true])
        for (const owner of owners)
          for (const courtOrderReference of [null, 'CO-1'])
            for (const kind of Object.values(RecordKind)) {
              const access: ChildAccess = {
                relationship,
                agencyRoles,
                contactRestricted,
                policeInvestigationSince: null,
                allocationEnded: false,
              };
              const facts = {
                childId: 'child',
                owningAgencyId: agency(owner).id,
                kind,
                createdAt: new Date('2026-01-01T00:00:00Z'),
                courtOrderReference,
                consentReference: null,
                thirdPartyPermissionReference: null,
              };
              found.push({ principal, attributes: policy.recordAttributes(principal, facts, access), kind });
            }
  }
  return found;
}

async function projected(policy: PolicyService, { principal, attributes, kind }: Case) {
  const result = await policy.project(principal, RECORD_TYPE_BY_KIND[kind], { id: 'r', summary: 'x' }, attributes);
  return { ...result, grants: [...result.grants], gates: [...(result.gates ?? [])] };
}

describe('field decisions kept across requests', () => {
  it('give every projection what a policy deciding afresh gives, in any order', async () => {
    const kept = newPolicy();
    const all = cases(kept);
    expect(all.length).toBeGreaterThan(50);
    const expected = await Promise.all(all.map((one) => projected(newPolicy(), one)));
    for (const order of [all.map((_, index) => index), all.map((_, index) => all.length - 1 - index)]) {
      for (const index of order) {
        const one = all[index] as Case;
        expect(await projected(kept, one)).toEqual(expected[index]);
      }
    }
  });

  it('list grants only for the classes a projection asked about, though another call decided more', async () => {
    const kept = newPolicy();
    // A subject for which the agreements allow classes that a record of its kind does not hold.
    let checked = 0;
    for (const one of cases(kept)) {
      const fresh = await projected(newPolicy(), one);
      const explained = await kept.explain(one.principal, one.attributes);
      expect(explained.length).toBe(Object.values(SensitivityClass).length);
      if (fresh.grants.length >= explained.filter((entry) => entry.allowed).length) continue;
      // explain decided every class for this subject first; the projection lists only its own.
      expect(await projected(kept, one)).toEqual(fresh);
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
  });
});

describe('DecisionCache', () => {
  const ability = {} as TandemAbility;
  const attributes = (kind: RecordKind): SubjectAttributes => ({
    __type: 'SharedRecord',
    relationship: [],
    agencyRoles: [],
    contactRestricted: false,
    needToKnow: false,
    kind,
  });
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
    const subject = (index: number): SubjectAttributes => ({ ...attributes(RecordKind.CARE_PLAN), owningAgencyId: `a${index}` });
    for (let index = 0; index <= 512; index++) cache.decisionsFor(ability, subject(index), inputs, counter.permitted);
    cache.decisionsFor(ability, subject(0), inputs, counter.permitted);
    expect(counter.calls()).toBe(514);
  });
});
