import { describe, expect, it } from 'vitest';
import { Principal } from 'src/auth/principal.js';
import type { Role } from 'src/auth/roles.js';
import { type AgencyKind, InvolvementRole } from 'src/vocabulary/children.enums.js';
import type { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { AppConfig } from 'src/config/app-config.js';
import { SensitivityClass } from 'src/vocabulary/sensitivity/sensitivity-class.js';
import { fieldLabels } from 'src/vocabulary/sensitivity/sensitive-field.decorator.js';
import { AbilityFactory } from 'src/policy/ability.factory.js';
import type { AccessRepository } from 'src/policy/access.repository.js';
import type { ChildAccess } from 'src/policy/access-subject.js';
import { readAgreementFiles } from 'src/policy/agreements/agreement-files.js';
import type { AgreementRegistry } from 'src/policy/agreements/agreement-registry.service.js';
import { type AgreementGrant, GrantSubject, type SharingAgreement } from 'src/policy/agreements/agreement.schema.js';
import { PolicyService } from 'src/policy/policy.service.js';
import { PurposeOfUse } from 'src/vocabulary/purpose.js';
import { Relationship, relationshipsOf } from 'src/policy/relationship.js';
import { RECORD_TYPE_BY_KIND } from 'src/records/models/shared-record.model.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { combineDirectory, DIRECTORY_FILES_DIR, readDirectoryFiles } from 'src/directory/files/directory-files.js';

/**
 * The policy matrix, generated from the shipped agreements: for every grant's receiving agency,
 * every role it names, every purpose, every relationship the role can have and every record kind
 * the owning agency writes, the fields a caller receives must be exactly those whose class an
 * independent reading of the agreements allows (minus need-to-know and C10).
 */
const agreements = readAgreementFiles('policy/agreements').map((file) => file.agreement);
// Every agency the reviewed directory files name, so an agreement of any authority is covered.
const directoryContents = combineDirectory(readDirectoryFiles(DIRECTORY_FILES_DIR).map((file) => file.document));
const agency = (code: string) => {
  const found = directoryContents.agencies.find((candidate) => candidate.code === code);
  if (!found) throw new Error(code);
  const authority = directoryContents.localAuthorities.find((candidate) => candidate.code === found.localAuthority);
  return { id: `id-${code}`, code, kind: found.kind, localAuthorityId: authority?.id ?? null };
};
const directory = { agencyByCode: (code: string) => Promise.resolve(agency(code)) } as unknown as AgencyDirectory;
const registry = {
  agreements: () => agreements.map((agreement) => ({ agreement, checksum: '' })),
} as unknown as AgreementRegistry;
const policy = new PolicyService(
  AppConfig.fromEnvironment({ NODE_ENV: 'test' }),
  new AbilityFactory(registry, directory),
  {} as AccessRepository,
  registry,
  directory,
);

const today = new Date().toISOString().slice(0, 10);
const NEED_TO_KNOW = new Set([
  SensitivityClass.HEALTH,
  SensitivityClass.ETHNICITY_RELIGION,
  SensitivityClass.SEXUAL_BEHAVIOUR,
  SensitivityClass.WELFARE_CP,
]);

/** The oracle: which classes the agreements give, read directly from the files. */
function expectedClasses(
  to: string,
  role: Role,
  purpose: PurposeOfUse,
  access: ChildAccess,
  owner: string,
  kind: RecordKind,
): Set<SensitivityClass> {
  const allowed = new Set<SensitivityClass>();
  const roleRelationships = relationshipsOf([role]);
  const applies = (agreement: SharingAgreement, grant: AgreementGrant) =>
    agreement.effectiveFrom <= today &&
    agreement.reviewDate >= today &&
    grant.to === to &&
    grant.from === owner &&
    grant.roles.includes(role) &&
    grant.purposes.includes(purpose) &&
    !grant.requires &&
    (grant.relationships ?? roleRelationships).some(
      (relationship) => roleRelationships.includes(relationship) && access.relationship.includes(relationship),
    ) &&
    (!grant.involvementRoles || grant.involvementRoles.some((involvement) => access.agencyRoles.includes(involvement))) &&
    (!grant.recordKinds || grant.recordKinds.includes(kind)) &&
    (!grant.subjects || grant.subjects.includes(GrantSubject.RECORD));
  for (const agreement of agreements)
    for (const grant of agreement.grants) if (applies(agreement, grant)) grant.classes.forEach((cls) => allowed.add(cls));
  const needToKnow =
    access.relationship.includes(Relationship.ALLOCATED) ||
    access.agencyRoles.some((r) => r === InvolvementRole.SECURE_ESTATE || r === InvolvementRole.POLICE);
  if (!needToKnow) NEED_TO_KNOW.forEach((cls) => allowed.delete(cls));
  if (access.contactRestricted) allowed.delete(SensitivityClass.PLACEMENT_LOCATION);
  return allowed;
}

/** Every labelled leaf path of a record kind, with its class (as the projection sees it). */
function leafPaths(type: Function, prefix = ''): { path: string; cls: SensitivityClass; required: boolean }[] {
  return [...fieldLabels(type)].flatMap(([key, label]) =>
    label.kind === 'group'
      ? leafPaths(label.type(), `${prefix}${key}.`)
      : [{ path: `${prefix}${key}`, cls: label.sensitivity, required: label.required }],
  );
}

const AGENCY_ROLE: Partial<Record<AgencyKind, InvolvementRole>> = {
  YOUTH_JUSTICE: InvolvementRole.YOS_HOME,
  CHILDRENS_SOCIAL_CARE: InvolvementRole.CSC,
  LEAVING_CARE: InvolvementRole.LEAVING_CARE,
  SECURE_ESTATE: InvolvementRole.SECURE_ESTATE,
  POLICE: InvolvementRole.POLICE,
};

describe('the policy matrix generated from the agreements', () => {
  const cases: [string, string, Role, PurposeOfUse, ChildAccess, string][] = [];
  for (const agreement of agreements) {
    for (const grant of agreement.grants) {
      for (const role of grant.roles) {
        for (const relationship of relationshipsOf([role])) {
          const agencyRoles =
            grant.involvementRoles ?? [AGENCY_ROLE[agency(grant.to).kind]].filter((r): r is InvolvementRole => r !== undefined);
          for (const contactRestricted of [false, true]) {
            const access: ChildAccess = {
              relationship: [relationship],
              agencyRoles,
              contactRestricted,
              policeInvestigationSince: null,
              allocationEnded: false,
            };
            for (const purpose of Object.values(PurposeOfUse).filter((p) => p !== PurposeOfUse.EMERGENCY)) {
              cases.push([`${agreement.id} §${grant.clause}`, grant.to, role, purpose, access, grant.from]);
            }
          }
        }
      }
    }
  }

  it(`covers every grant, role, purpose and relationship (${cases.length} combinations × ${Object.values(RecordKind).length} record kinds)`, async () => {
    const mismatches: string[] = [];
    for (const [clause, to, role, purpose, access, owner] of cases) {
      const principal = new Principal('matrix', 'Matrix', agency(to), { id: 'cs', code: 'cs' }, [role], {
        header: purpose,
        justification: undefined,
      });
      for (const kind of Object.values(RecordKind)) {
        const facts = {
          childId: 'child',
          owningAgencyId: agency(owner).id,
          kind,
          createdAt: new Date(),
          courtOrderReference: null,
          consentReference: null,
          thirdPartyPermissionReference: null,
        };
        const type = RECORD_TYPE_BY_KIND[kind];
        const paths = leafPaths(type);
        const blank = Object.fromEntries(paths.filter((p) => !p.path.includes('.')).map((p) => [p.path, 'x']));
        const { withheld } = await policy.project(principal, type, blank, policy.recordAttributes(principal, facts, access));
        const withheldPaths = new Set(withheld.map((entry) => entry.field));
        const expected = expectedClasses(to, role, purpose, access, owner, kind);
        for (const { path, cls, required } of paths) {
          const shown = !withheldPaths.has(path);
          if (shown !== (required || expected.has(cls)))
            mismatches.push(
              `${clause} ${role} ${purpose} ${access.relationship.join()} ${kind}.${path} (${cls}): shown=${shown}`,
            );
        }
      }
    }
    expect(mismatches.slice(0, 20)).toEqual([]);
  });
});
