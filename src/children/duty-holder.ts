import type { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import type { ResponsibilityRows } from 'src/children/repositories/responsibility-inputs.repository.js';
import { type AgencyKind, type AllocationRole, InvolvementRole } from 'src/vocabulary/children.enums.js';

export type Agencies = Awaited<ReturnType<AgencyDirectory['agencyRecords']>>;

/** Who holds a duty: the agency, and its allocated worker when there is one, else its team queue. */
export interface DutyHolder {
  readonly agencyId: string;
  readonly subject: string | null;
  readonly name: string | null;
  readonly role: string | null;
  readonly team: string | null;
  /** Since when the worker is allocated (YYYY-MM-DD); null with no worker. */
  readonly since: string | null;
}

/** The child's authority: the one whose CSC is involved, else the home YOS's, else any involved agency's. */
export function authorityOf(
  involvements: ResponsibilityRows['involvements'],
  agencies: ReadonlyMap<string, Agencies[number]>,
): string | null {
  const ranked = [...involvements].sort((a, b) => rank(a) - rank(b));
  for (const involvement of ranked) {
    const code = agencies.get(involvement.agencyId)?.localAuthority?.code;
    if (code) return code;
  }
  return null;
}

/**
 * The child's home authority: that of the first agency still working with it (by when its
 * involvement was recorded), the one that registered it as a rule; after a transfer, the one that
 * took the child on. Null when no agency of an authority is involved.
 */
export function homeAuthorityOf(involvements: ResponsibilityRows['involvements'], agencies: Agencies): string | null {
  const byId = new Map(agencies.map((agency) => [agency.id, agency]));
  const ordered = [...involvements].sort(
    (a, b) =>
      Number(a.endDate !== null) - Number(b.endDate !== null) ||
      a.createdAt.getTime() - b.createdAt.getTime() ||
      a.startDate.localeCompare(b.startDate) ||
      a.id.localeCompare(b.id),
  );
  for (const involvement of ordered) {
    const authority = byId.get(involvement.agencyId)?.localAuthority?.id;
    if (authority) return authority;
  }
  return null;
}

function rank(involvement: ResponsibilityRows['involvements'][number]): number {
  const open = involvement.endDate === null ? 0 : 10;
  const role = involvement.role === InvolvementRole.CSC ? 0 : involvement.role === InvolvementRole.YOS_HOME ? 1 : 2;
  return open + role;
}

/**
 * Who holds a duty of `kind` for the child: the agency of that kind involved with it (else the
 * authority's), and its worker allocated in `role` when there is one (else its team queue: the
 * worker's team, or the agency's front door).
 */
export function dutyHolderOf(
  rows: ResponsibilityRows,
  agencies: Agencies,
  kind: AgencyKind,
  role: AllocationRole | null,
): DutyHolder | null {
  const byId = new Map(agencies.map((agency) => [agency.id, agency]));
  const authority = authorityOf(rows.involvements, byId);
  const involved = rows.involvements.find(
    (involvement) => involvement.endDate === null && byId.get(involvement.agencyId)?.kind === kind,
  );
  const agency = involved
    ? byId.get(involved.agencyId)
    : agencies.find((candidate) => candidate.kind === kind && candidate.localAuthority?.code === authority);
  if (!agency) return null;
  const worker = role
    ? rows.allocations.find((allocation) => allocation.agencyId === agency.id && allocation.role === role)
    : undefined;
  return {
    agencyId: agency.id,
    subject: worker?.subject ?? null,
    name: worker?.practitionerName ?? null,
    role: worker ? role : null,
    team: worker?.team ?? agency.frontDoorTeam?.code ?? null,
    since: worker?.startDate ?? null,
  };
}
