import { afterEach, describe, expect, it, vi } from 'vitest';
import { Principal } from 'src/auth/principal.js';
import { Role } from 'src/auth/roles.js';
import { AppConfig } from 'src/config/app-config.js';
import type { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import type { AbilityFactory } from 'src/policy/ability.factory.js';
import type { AccessRepository } from 'src/policy/access.repository.js';
import type { AgreementRegistry } from 'src/policy/agreements/agreement-registry.service.js';
import { PolicyService } from 'src/policy/policy.service.js';
import { AgencyKind } from 'src/vocabulary/children.enums.js';

/**
 * The days the policy reads agreements and allocations on are London's (DECISIONS.md §7): at 00:30
 * BST on 2 July it is 2 July, though it is still 1 July in UTC.
 */
const config = AppConfig.fromEnvironment({ NODE_ENV: 'test' });
const policy = new PolicyService(
  config,
  {} as AbilityFactory,
  {} as AccessRepository,
  {} as AgreementRegistry,
  {} as AgencyDirectory,
);
const principal = () =>
  new Principal(
    'dana.hughes',
    'Dana Hughes',
    { id: 'a', code: 'derby-yos', kind: AgencyKind.YOUTH_JUSTICE, localAuthorityId: 'la' },
    { id: 'cs', code: 'cs' },
    [Role.YOS_CASE_MANAGER],
    { header: 'CASE_MANAGEMENT', justification: undefined, accessReason: undefined },
  );

describe("the policy's days", () => {
  afterEach(() => vi.useRealTimers());

  it("are London's, not UTC's, just after midnight in summer", () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-07-01T23:30:00Z'));
    expect(policy.agreementDay(principal())).toBe('2026-07-02');
    const grace = new Date(Date.UTC(2026, 6, 2) - config.policy.allocationGraceDays * 86_400_000).toISOString().slice(0, 10);
    expect(policy.graceDate(principal())).toBe(grace);
  });
});
