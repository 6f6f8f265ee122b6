import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { groupBy, RequestLoaders } from 'src/common/loaders/request-loaders.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Page, toPage } from 'src/common/pagination/connection.js';
import { encodeCursor, pageSize, shapedCursor } from 'src/common/pagination/cursor.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { Discloser } from 'src/policy/discloser.service.js';
import { PolicyService } from 'src/policy/policy.service.js';
import type { VisitEntity } from 'src/visits/entities/visit.entity.js';
import type { Visit } from 'src/visits/models/visit.model.js';
import { type VisitPosition, VisitRepository } from 'src/visits/repositories/visit.repository.js';
import { toVisit } from 'src/visits/visits.mappers.js';
import { BREAK_GLASS_CLOSED_CHILD_FIELDS } from 'src/policy/emergency-access.js';

const EMPTY: Page<Visit> = { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };

/** A child's visits, each decided field by field like a placement, with its recording agency as owner. */
@Injectable()
export class VisitReader {
  private readonly loaders = new RequestLoaders('visits');

  constructor(
    @Inject(VisitRepository) private readonly visits: VisitRepository,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(PolicyService) private readonly policy: PolicyService,
    @Inject(Discloser) private readonly discloser: Discloser,
  ) {}

  /** Pages of a child the caller already sees; children asked for with the same page arguments share a batch. */
  async pageForChild(
    principal: Principal,
    childId: string,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Page<Visit>> {
    const size = pageSize(first, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const position = after ? positionOf(after) : undefined;
    // Outside the narrow emergency read, like placement history (the child's receipt lists it withheld).
    if (BREAK_GLASS_CLOSED_CHILD_FIELDS.has('visits') && (await this.discloser.childGrant(principal, childId)).breakGlass)
      return EMPTY;
    return this.loaders
      .loader<string, Page<Visit>>(principal, `visits:${size}:${after ?? ''}`, async (ids) => {
        const rows = await this.visits.pagesFor(ids, size + 1, position);
        return Promise.all(
          groupBy(ids, rows, (row) => row.childId).map(async (group) => {
            const page = toPage(group, size, cursorOf);
            return {
              pageInfo: page.pageInfo,
              edges: await Promise.all(
                page.edges.map(async (edge) => ({ cursor: edge.cursor, node: await this.disclosed(principal, edge.node) })),
              ),
            };
          }),
        );
      })
      .load(childId);
  }

  private async disclosed(principal: Principal, row: VisitEntity): Promise<Visit> {
    const access = await this.policy.childAccess(principal, row.childId);
    return this.discloser.disclose(
      principal,
      await toVisit(row, this.directory),
      this.policy.detailAttributes(principal, row.recordedByAgencyId, access),
    );
  }
}

/** The visit's id alone: its date may be withheld from the reader by class, and a cursor is readable. */
function cursorOf(row: VisitEntity): string {
  return encodeCursor('', row.id);
}

function positionOf(after: string): VisitPosition {
  return { id: shapedCursor(after, { id: 'uuid', sortKey: 'none' }).id };
}
