import { describe, expect, it } from 'vitest';
import { auditedAgencyIds, auditScopeFor } from 'src/auth/audit-scope.js';
import { Role, roleRefusal } from 'src/auth/roles.js';
import { readClaims } from 'src/auth/token-claims.js';
import { DEMO_AGENCIES, DEMO_USERS } from 'src/seed/demo-directory.js';
import { AgencyKind } from 'src/vocabulary/children.enums.js';

const NOW = 1_900_000_000;
const LIMITS = { maxTokenAgeSeconds: 3600, clockToleranceSeconds: 30 };
const CLAIMS = { sub: 'dana.hughes', agency: 'derby-yos', case_system: 'derby-yos-childview', roles: ['YOS_CASE_MANAGER'] };

function refusalOf(claims: Record<string, unknown>): string | undefined {
  const read = readClaims(claims, NOW, LIMITS);
  return 'refusal' in read ? read.refusal : undefined;
}

describe('token lifetime and subject', () => {
  it('accepts a token that expires within the limit', () => {
    expect(refusalOf({ ...CLAIMS, iat: NOW, exp: NOW + 900 })).toBeUndefined();
    expect(refusalOf({ ...CLAIMS, exp: NOW + 3600 })).toBeUndefined();
  });

  it('refuses a token without a numeric exp', () => {
    expect(refusalOf({ ...CLAIMS, iat: NOW })).toMatch(/no numeric exp/);
    expect(refusalOf({ ...CLAIMS, iat: NOW, exp: String(NOW + 60) })).toMatch(/no numeric exp/);
  });

  it('refuses a token that lives longer than AUTH_MAX_TOKEN_AGE_SECONDS, from iat or else from now', () => {
    expect(refusalOf({ ...CLAIMS, iat: NOW, exp: NOW + 3600 + 31 })).toMatch(/longer than 3600/);
    expect(refusalOf({ ...CLAIMS, iat: NOW - 10, exp: NOW + 3600 })).toBeUndefined();
    expect(refusalOf({ ...CLAIMS, exp: NOW + 86_400 * 365 })).toMatch(/longer than 3600/);
    // An iat in the future does not shorten the measured lifetime.
    expect(refusalOf({ ...CLAIMS, iat: NOW + 86_400, exp: NOW + 86_400 + 60 })).toMatch(/longer than 3600/);
  });

  it('refuses an empty subject', () => {
    expect(refusalOf({ ...CLAIMS, sub: '', exp: NOW + 60 })).toMatch(/empty sub/);
    expect(refusalOf({ ...CLAIMS, sub: '   ', exp: NOW + 60 })).toMatch(/empty sub/);
  });
});

describe('roles and agencies', () => {
  const fits = (roles: Role[], agencyKind: AgencyKind, personClaims = false) => roleRefusal({ roles, agencyKind, personClaims });

  it('accepts every demo user as the token command mints them (no person claims)', () => {
    for (const user of DEMO_USERS) {
      const agency = DEMO_AGENCIES.find((candidate) => candidate.code === user.agency);
      expect(agency, user.subject).toBeDefined();
      expect(fits([...user.roles], agency?.kind ?? AgencyKind.POLICE), user.subject).toBeNull();
    }
  });

  it('refuses a role at a kind of agency it does not belong to', () => {
    expect(fits([Role.AUDITOR], AgencyKind.YOUTH_JUSTICE)).toMatch(/AUDITOR cannot be held at a YOUTH_JUSTICE agency/);
    expect(fits([Role.AUDITOR], AgencyKind.SECURE_ESTATE)).not.toBeNull();
    expect(fits([Role.YOS_CASE_MANAGER], AgencyKind.CHILDRENS_SOCIAL_CARE)).not.toBeNull();
    expect(fits([Role.CSC_SOCIAL_WORKER], AgencyKind.YOUTH_JUSTICE)).not.toBeNull();
    expect(fits([Role.PERSONAL_ADVISER], AgencyKind.LEAVING_CARE)).toBeNull();
    expect(fits([Role.PERSONAL_ADVISER], AgencyKind.YOUTH_JUSTICE)).not.toBeNull();
    expect(fits([Role.SECURE_ESTATE_GOVERNOR], AgencyKind.YOUTH_JUSTICE)).not.toBeNull();
    expect(fits([Role.POLICE_CPS], AgencyKind.PROBATION)).not.toBeNull();
    expect(fits([Role.PROBATION_OFFICER], AgencyKind.PROBATION)).toBeNull();
  });

  it('refuses SYSTEM beside another role, and on a person’s token', () => {
    expect(fits([Role.SYSTEM, Role.YOS_CASE_MANAGER], AgencyKind.YOUTH_JUSTICE)).toMatch(/only role/);
    expect(fits([Role.SYSTEM], AgencyKind.YOUTH_JUSTICE, true)).toMatch(/person's token/);
    expect(fits([Role.SYSTEM], AgencyKind.POLICE)).toBeNull();
  });

  it('refuses AUDITOR beside a practitioner role', () => {
    expect(fits([Role.AUDITOR, Role.CSC_SOCIAL_WORKER], AgencyKind.CHILDRENS_SOCIAL_CARE)).toMatch(/AUDITOR cannot be combined/);
    expect(fits([Role.AUDITOR, Role.HEAD_OF_SERVICE], AgencyKind.CHILDRENS_SOCIAL_CARE)).toMatch(/AUDITOR cannot be combined/);
  });

  it('reads person claims from the token', () => {
    const read = readClaims({ ...CLAIMS, roles: ['SYSTEM'], exp: NOW + 60, auth_time: NOW - 5 }, NOW, LIMITS);
    expect('identity' in read && read.identity.personClaims).toBe(true);
  });
});

describe('the auditor’s scope', () => {
  const agencies = DEMO_AGENCIES.map((agency) => ({ id: agency.id, localAuthorityId: agency.localAuthorityId }));
  const derbyCsc = DEMO_AGENCIES.find((agency) => agency.code === 'derby-csc');

  it('is the auditor’s local authority’s agencies, unless national', () => {
    const local = auditedAgencyIds(auditScopeFor({ localAuthorityId: derbyCsc?.localAuthorityId ?? null }, false), agencies);
    expect(new Set(local)).toEqual(
      new Set(DEMO_AGENCIES.filter((agency) => agency.code.startsWith('derby-') && agency.localAuthorityId).map((a) => a.id)),
    );
    expect(auditedAgencyIds(auditScopeFor({ localAuthorityId: null }, true), agencies)).toBeNull();
    expect(auditedAgencyIds(auditScopeFor({ localAuthorityId: null }, false), agencies)).toEqual([]);
  });
});
