import { aChild } from 'src/seed/child-factory.js';
import { AllocationRole, InvolvementRole } from 'src/vocabulary/children.enums.js';

/** A new child the Derby YOS and CSC both work with, Dana Hughes and Sam Okafor allocated; `overrides` replaces any part. */
export function aJointChild(overrides: Parameters<typeof aChild>[0] = {}): ReturnType<typeof aChild> {
  return aChild({
    involvements: [
      { agency: 'derby-yos', role: InvolvementRole.YOS_HOME, startDate: '2026-01-05' },
      { agency: 'derby-csc', role: InvolvementRole.CSC, startDate: '2026-01-05' },
    ],
    allocations: [
      { user: 'dana.hughes', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2026-01-05' },
      { user: 'sam.okafor', role: AllocationRole.SOCIAL_WORKER, startDate: '2026-01-05' },
    ],
    ...overrides,
  });
}
