import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { groupBy, RequestLoaders } from 'src/common/loaders/request-loaders.js';
import { shapedCursor, encodeCursor, pageSize } from 'src/common/pagination/cursor.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Page, toPage } from 'src/common/pagination/connection.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { toAllocation, toIdentifiers, toInvolvement, toLegalStatus, toPlacement } from 'src/children/children.mappers.js';
import type { LegalDimension } from 'src/vocabulary/children.enums.js';
import type { ChildIdentifiers } from 'src/children/models/child-identity.model.js';
import {
  type AgencyInvolvement,
  type CaseReference,
  LegalStatusEpisode,
  Placement,
  type WorkerAllocation,
} from 'src/children/models/child.model.js';
import type { PlacementEntity } from 'src/children/entities/placement.entity.js';
import type { ChildEntity } from 'src/children/entities/child.entity.js';
import type { LegalStatusEpisodeEntity } from 'src/children/entities/legal-status-episode.entity.js';
import { PolicyService } from 'src/policy/policy.service.js';
import type { Described } from 'src/policy/disclosed.js';
import { Discloser } from 'src/policy/discloser.service.js';
import { BREAK_GLASS_CLOSED_CHILD_FIELDS } from 'src/policy/emergency-access.js';
import { LOCATING_ROLES } from 'src/policy/contact-restriction.js';
import { AllocationRepository } from 'src/children/repositories/allocation.repository.js';
import { ChildRepository } from 'src/children/repositories/child.repository.js';
import { InvolvementRepository } from 'src/children/repositories/involvement.repository.js';
import { LegalStatusRepository } from 'src/children/repositories/legal-status.repository.js';
import { PlacementRepository } from 'src/children/repositories/placement.repository.js';

/**
 * What hangs off a child the caller can already see, loaded in one batch per kind per request
 * (so a list of children costs a fixed number of statements, not one per child).
 */
@Injectable()
export class ChildDetailsService {
  private readonly loaders = new RequestLoaders('child-details');

  constructor(
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(ChildRepository) private readonly children: ChildRepository,
    @Inject(LegalStatusRepository) private readonly legalStatus: LegalStatusRepository,
    @Inject(PlacementRepository) private readonly placements: PlacementRepository,
    @Inject(InvolvementRepository) private readonly involvements: InvolvementRepository,
    @Inject(AllocationRepository) private readonly allocations: AllocationRepository,
    @Inject(PolicyService) private readonly policy: PolicyService,
    @Inject(Discloser) private readonly discloser: Discloser,
  ) {}

  /** The child's references in each case system; under C10 none of a system of an agency where the child is or was. */
  async caseReferences(principal: Principal, childId: string): Promise<CaseReference[]> {
    if (await this.closedToBreakGlass(principal, childId, 'caseReferences')) return [];
    const loading = this.loaders
      .loader<string, CaseReference[]>(principal, 'caseReferences', async (ids) => {
        const rows = await this.children.identifiersFor(ids);
        const references = await Promise.all(
          rows.map(async (row) => ({
            childId: row.childId,
            caseSystem: await this.directory.caseSystem(row.caseSystemId),
            value: row.value,
          })),
        );
        return groupBy(ids, references, (row) => row.childId);
      })
      .load(childId);
    const [all, places] = await Promise.all([loading, this.placesWithheld(principal, childId)]);
    return places.size === 0 ? all : all.filter((reference) => !places.has(reference.caseSystem.agency.id));
  }

  /**
   * The child's national identifiers, each field decided by its class with the agency that recorded
   * them as owner; closed under break-glass, whose narrow read is the name and date of birth.
   */
  async identifiers(principal: Principal, childId: string): Promise<ChildIdentifiers | null> {
    if (await this.closedToBreakGlass(principal, childId, 'identifiers')) return null;
    const row = await this.loaders
      .loader<string, ChildEntity | null>(principal, 'identifiers', async (ids) => {
        const rows = await this.children.findByIds(ids);
        const byId = new Map(rows.map((child) => [child.id, child]));
        return ids.map((id) => byId.get(id) ?? null);
      })
      .load(childId);
    if (!row) return null;
    const access = await this.policy.childAccess(principal, childId);
    return this.discloser.disclose(
      principal,
      toIdentifiers(row),
      this.policy.detailAttributes(principal, row.identifiersAgencyId, access),
    );
  }

  async legalStatusHistory(principal: Principal, childId: string): Promise<LegalStatusEpisode[]> {
    if (await this.closedToBreakGlass(principal, childId, 'legalStatusHistory')) return [];
    return this.episodes(principal, childId);
  }

  /**
   * The open episode of a dimension (asked for as `field`); without one, the most recently started
   * open episode of either.
   */
  async currentLegalStatus(
    principal: Principal,
    childId: string,
    dimension?: { readonly dimension: LegalDimension; readonly field: string },
  ): Promise<LegalStatusEpisode | null> {
    if (dimension && (await this.closedToBreakGlass(principal, childId, dimension.field))) return null;
    const history = await this.episodes(principal, childId);
    return (
      history.find((episode) => episode.endDate === null && (!dimension || episode.dimension === dimension.dimension)) ?? null
    );
  }

  /** A derived field of the child (asked for as `field`), or `closed` when the caller sees the child only under break-glass. */
  async unlessBreakGlass<T>(principal: Principal, childId: string, field: string, closed: T, read: () => Promise<T>): Promise<T> {
    return (await this.closedToBreakGlass(principal, childId, field)) ? closed : read();
  }

  private episodes(principal: Principal, childId: string): Promise<LegalStatusEpisode[]> {
    return this.loaders
      .loader<string, LegalStatusEpisode[]>(principal, 'legalStatusHistory', async (ids) => {
        const grouped = await Promise.all(ids.map((id) => this.legalStatusRows(principal).load(id)));
        return Promise.all(
          grouped.map((group) =>
            Promise.all(
              group.map(async (row) =>
                this.guarded(principal, row.childId, row.recordedByAgencyId, await toLegalStatus(row, this.directory)),
              ),
            ),
          ),
        );
      })
      .load(childId);
  }

  /** The stored episodes of children, batched per request. */
  private legalStatusRows(principal: Principal) {
    return this.loaders.loader<string, LegalStatusEpisodeEntity[]>(principal, 'legalStatusRows', async (ids) =>
      groupBy(ids, await this.legalStatus.historyFor(ids), (row) => row.childId),
    );
  }

  /**
   * A child's stored episodes, read by the statement that looked the child up (ChildrenService):
   * the policy still decides what of them each field shows, as if they had been read here.
   */
  primeLegalStatus(principal: Principal, childId: string, rows: readonly LegalStatusEpisodeEntity[]): void {
    this.legalStatusRows(principal).prime(childId, [...rows]);
  }

  currentPlacement(principal: Principal, childId: string): Promise<Placement | null> {
    return this.loaders
      .loader<string, Placement | null>(principal, 'currentPlacement', async (ids) => {
        const rows = await this.placements.currentFor(ids);
        const byChild = new Map(rows.map((row) => [row.childId, row]));
        return Promise.all(
          ids.map((id) => {
            const row = byChild.get(id);
            return row ? this.guardedPlacement(principal, row) : Promise.resolve(null);
          }),
        );
      })
      .load(childId);
  }

  /** Pages of placement history; children asked for with the same page arguments share a batch. */
  async placementPage(
    principal: Principal,
    childId: string,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Page<Placement>> {
    const size = pageSize(first, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const cursor = after ? shapedCursor(after, { id: 'uuid', sortKey: 'instant' }) : undefined;
    if (await this.closedToBreakGlass(principal, childId, 'placements')) {
      return { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };
    }
    return this.loaders
      .loader<string, Page<Placement>>(principal, `placements:${size}:${after ?? ''}`, async (ids) => {
        const rows = await this.placements.pagesFor(ids, size + 1, cursor);
        const grouped = groupBy(ids, rows, (row) => row.childId);
        return Promise.all(
          grouped.map(async (group) => {
            const page = toPage(group, size, (row) => encodeCursor(row.createdAt.toISOString(), row.id));
            return {
              pageInfo: page.pageInfo,
              edges: await Promise.all(
                page.edges.map(async (edge) => ({
                  cursor: edge.cursor,
                  node: await this.guardedPlacement(principal, edge.node),
                })),
              ),
            };
          }),
        );
      })
      .load(childId);
  }

  /**
   * The child's involvements. Under C10 none of an agency where the child is or was (placesWithheld):
   * such rows leave the child's lists unmarked, for a marker would itself say the child is hosted or held.
   */
  async involvementsOf(principal: Principal, childId: string): Promise<AgencyInvolvement[]> {
    if (await this.closedToBreakGlass(principal, childId, 'involvements')) return [];
    const [all, places] = await Promise.all([this.allInvolvements(principal, childId), this.placesWithheld(principal, childId)]);
    return places.size === 0 ? all : all.filter((involvement) => !places.has(involvement.agency.id));
  }

  /**
   * C10 in the child's lists: the agencies where the child is (Discloser.locatingAgencies) or was
   * (an ended host-YOS or establishment involvement: a host's caretaking can end while the child
   * stays in its area), the caller's own excepted; empty unless a contact restriction names the
   * caller or its agency. Every list that names agencies leaves these out (a record's too).
   */
  async placesWithheld(principal: Principal, childId: string): Promise<ReadonlySet<string>> {
    const [{ contactRestricted }, now] = await Promise.all([
      this.policy.childAccess(principal, childId),
      this.discloser.locatingAgencies(principal, childId),
    ]);
    if (!contactRestricted) return now;
    const earlier = (await this.allInvolvements(principal, childId))
      .filter((involvement) => LOCATING_ROLES.has(involvement.role) && involvement.agency.id !== principal.agency.id)
      .map((involvement) => involvement.agency.id);
    return new Set([...now, ...earlier]);
  }

  private allInvolvements(principal: Principal, childId: string): Promise<AgencyInvolvement[]> {
    return this.loaders
      .loader<string, AgencyInvolvement[]>(principal, 'involvements', async (ids) => {
        const rows = await this.involvements.forChildren(ids);
        const grouped = groupBy(ids, rows, (row) => row.childId);
        return Promise.all(grouped.map((group) => Promise.all(group.map((row) => toInvolvement(row, this.directory)))));
      })
      .load(childId);
  }

  /** The child's allocations; under break-glass only the workers allocated now; under C10 none at an agency where the child is or was. */
  async allocationsOf(principal: Principal, childId: string): Promise<WorkerAllocation[]> {
    const all = await this.loaders
      .loader<string, WorkerAllocation[]>(principal, 'allocations', async (ids) => {
        const rows = await this.allocations.forChildren(ids);
        const grouped = groupBy(ids, rows, (row) => row.childId);
        return Promise.all(grouped.map((group) => Promise.all(group.map((row) => toAllocation(row, this.directory)))));
      })
      .load(childId);
    const [{ breakGlass }, places] = await Promise.all([
      this.discloser.childGrant(principal, childId),
      this.placesWithheld(principal, childId),
    ]);
    return all.filter(
      (allocation) => (!breakGlass || allocation.endDate === null) && !places.has(allocation.practitioner.agency.id),
    );
  }

  /**
   * Whether a field of the child (its GraphQL name) is outside the narrow emergency read
   * (BREAK_GLASS_CLOSED_CHILD_FIELDS, which the child's receipt reads too) and the caller sees the
   * child only under break-glass.
   */
  private async closedToBreakGlass(principal: Principal, childId: string, field: string): Promise<boolean> {
    if (!BREAK_GLASS_CLOSED_CHILD_FIELDS.has(field)) return false;
    return (await this.discloser.childGrant(principal, childId)).breakGlass;
  }

  private async guardedPlacement(principal: Principal, row: PlacementEntity): Promise<Placement> {
    return this.guarded(principal, row.childId, row.recordedByAgencyId, await toPlacement(row, this.directory));
  }

  /** A placement or legal-status entry as the caller may see it, decided with its recording agency as owner. */
  private async guarded<T extends { withheld: unknown[] }>(
    principal: Principal,
    childId: string,
    owningAgencyId: string,
    value: Described<T>,
  ): Promise<T> {
    const access = await this.policy.childAccess(principal, childId);
    return this.discloser.disclose(principal, value, this.policy.detailAttributes(principal, owningAgencyId, access));
  }
}
