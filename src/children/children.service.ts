import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { decodeCursor, encodeCursor, pageSize } from 'src/common/pagination/cursor.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Page, toPage } from 'src/common/pagination/connection.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { AgencyKind, InvolvementRole } from 'src/vocabulary/children.enums.js';
import { toChild } from 'src/children/children.mappers.js';
import type { Child } from 'src/children/models/child.model.js';
import type { RegisterChildInput, UpdateChildDetailsInput } from 'src/children/models/child.inputs.js';
import { Discloser } from 'src/policy/discloser.service.js';
import { PolicyService } from 'src/policy/policy.service.js';
import { DisclosureService } from 'src/disclosure/disclosure.service.js';
import { UnitOfWork } from 'src/events/unit-of-work.js';
import { requireText } from 'src/common/validation/text.js';
import type { ChildEntity } from 'src/children/entities/child.entity.js';
import { ChildRepository } from 'src/children/repositories/child.repository.js';
import { InvolvementRepository } from 'src/children/repositories/involvement.repository.js';

/** The involvement an agency of each kind takes on when it registers a child. */
const REGISTERING_ROLE: Readonly<Partial<Record<AgencyKind, InvolvementRole>>> = {
  YOUTH_JUSTICE: InvolvementRole.YOS_HOME,
  CHILDRENS_SOCIAL_CARE: InvolvementRole.CSC,
  LEAVING_CARE: InvolvementRole.LEAVING_CARE,
  SECURE_ESTATE: InvolvementRole.SECURE_ESTATE,
};

/**
 * Children as a caller may see them: a child is visible to the agencies involved with it, and one
 * the caller may not see is reported exactly as one that does not exist.
 */
@Injectable()
export class ChildrenService {
  constructor(
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(ChildRepository) private readonly children: ChildRepository,
    @Inject(InvolvementRepository) private readonly involvements: InvolvementRepository,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(PolicyService) private readonly policy: PolicyService,
    @Inject(Discloser) private readonly discloser: Discloser,
    @Inject(DisclosureService) private readonly disclosure: DisclosureService,
  ) {}

  /**
   * A child the caller may see (break-glass included for reads); NOT_FOUND otherwise. A read that
   * finds nothing is logged as a consultation: DENIED when the child exists, NOT_FOUND when not.
   */
  async get(principal: Principal, childId: string, options: { forWrite?: boolean } = {}): Promise<Child> {
    const forWrite = options.forWrite ?? false;
    const found = isUuid(childId) ? await this.children.findById(childId) : null;
    const child = await this.visible(principal, found, forWrite);
    if (!child) {
      if (!forWrite) this.noteConsultation(principal, found, childId);
      throw TandemError.notFound('Child');
    }
    if (!forWrite) await this.policy.noteChildRead(principal, child.id);
    return this.discloser.discloseChild(principal, toChild(child));
  }

  /** By a case-system reference; the caller's own system unless another is named. */
  async getByReference(principal: Principal, reference: string, caseSystemCode: string | undefined): Promise<Child> {
    const caseSystem = caseSystemCode ? await this.directory.caseSystemByCode(caseSystemCode) : { id: principal.caseSystem.id };
    const found = caseSystem ? await this.children.findByReference(caseSystem.id, reference) : null;
    const child = await this.visible(principal, found, false);
    if (!child) {
      this.noteConsultation(principal, found, `${caseSystemCode ?? principal.caseSystem.code}:${reference}`);
      throw TandemError.notFound('Child');
    }
    await this.policy.noteChildRead(principal, child.id);
    return this.discloser.discloseChild(principal, toChild(child));
  }

  async list(principal: Principal, first: number | null | undefined, after: string | null | undefined): Promise<Page<Child>> {
    const size = pageSize(first, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const filter = await this.policy.childFilter(principal, 'c.id', { forList: true });
    const rows = await this.children.pageVisible(filter, size + 1, after ? decodeCursor(after) : undefined);
    const children = await Promise.all(rows.map((row) => this.discloser.discloseChild(principal, toChild(row))));
    return toPage(children, size, (child) => encodeCursor(child.familyName, child.id));
  }

  /** Logs a read of a child that disclosed nothing (the caller is told NOT_FOUND either way). */
  private noteConsultation(principal: Principal, found: ChildEntity | null, lookup: string): void {
    this.disclosure.noteConsultation(principal, {
      outcome: found ? 'DENIED' : 'NOT_FOUND',
      childId: found?.id ?? null,
      recordKind: null,
      recordId: null,
      lookup,
    });
  }

  /** The child if the policy lets the caller see it (a lookup of one child; lists filter in SQL). */
  private async visible(principal: Principal, child: ChildEntity | null, forWrite: boolean): Promise<ChildEntity | null> {
    if (!child) return null;
    return (await this.policy.canSeeChild(principal, child.id, { forWrite })) ? child : null;
  }

  /** Whether a child with this id exists at all (for auditors' explanations only). */
  async exists(childId: string): Promise<boolean> {
    return (await this.children.findById(childId)) !== null;
  }

  /** Whether the caller sees the child through a relationship. */
  async isVisible(principal: Principal, childId: string): Promise<boolean> {
    const filter = await this.policy.childFilter(principal, 'c.id', { forList: true });
    return (await this.children.findVisible(childId, filter)) !== null;
  }

  /** Throws NOT_FOUND unless the caller may see the child through a relationship (never break-glass). */
  async requireVisible(principal: Principal, childId: string): Promise<void> {
    await this.get(principal, childId, { forWrite: true });
  }

  /** Registers a child under the caller's case-system reference, with the caller's agency involved. */
  async register(principal: Principal, input: RegisterChildInput): Promise<Child> {
    const reference = requireText(input.caseReference, 'input.caseReference');
    const role = REGISTERING_ROLE[principal.agency.kind];
    if (!role) throw TandemError.forbidden(`A ${principal.agency.kind} agency does not register children`);
    const saved = await this.unitOfWork.run(principal, async ({ manager, altered }) => {
      if (await this.children.referenceTaken(manager, principal.caseSystem.id, reference)) {
        throw TandemError.conflict('A child with this case reference is already registered from your case system', {
          field: 'input.caseReference',
        });
      }
      const child = await this.children.insert(
        manager,
        {
          givenName: requireText(input.givenName, 'input.givenName'),
          familyName: requireText(input.familyName, 'input.familyName'),
          dateOfBirth: input.dateOfBirth,
        },
        { caseSystemId: principal.caseSystem.id, value: reference },
      );
      const involvement = await this.involvements.insert(manager, {
        childId: child.id,
        agencyId: principal.agency.id,
        role,
        startDate: input.involvementStartDate ?? child.createdAt.toISOString().slice(0, 10),
      });
      altered({
        action: 'registerChild',
        childId: child.id,
        kind: 'CHILD',
        id: child.id,
        versionBefore: null,
        versionAfter: child.version,
        owningAgencyId: null,
      });
      altered({
        action: 'registerChild',
        childId: child.id,
        kind: 'INVOLVEMENT',
        id: involvement.id,
        versionBefore: null,
        versionAfter: null,
        owningAgencyId: involvement.agencyId,
      });
      return child;
    });
    return this.discloser.discloseChild(principal, toChild(saved));
  }

  async updateDetails(principal: Principal, input: UpdateChildDetailsInput): Promise<Child> {
    const current = await this.get(principal, input.childId, { forWrite: true });
    const patch = {
      ...(input.givenName != null ? { givenName: requireText(input.givenName, 'input.givenName') } : {}),
      ...(input.familyName != null ? { familyName: requireText(input.familyName, 'input.familyName') } : {}),
      ...(input.dateOfBirth != null ? { dateOfBirth: input.dateOfBirth } : {}),
    };
    const updated = await this.unitOfWork.run(principal, async ({ manager, altered }) => {
      if (!(await this.children.updateDetails(manager, current.id, input.expectedVersion, patch))) return false;
      altered({
        action: 'updateChildDetails',
        childId: current.id,
        kind: 'CHILD',
        id: current.id,
        versionBefore: input.expectedVersion,
        versionAfter: input.expectedVersion + 1,
        owningAgencyId: null,
      });
      return true;
    });
    if (!updated) {
      const latest = await this.children.findById(current.id);
      throw TandemError.conflict('The child was changed since you read it', {
        expectedVersion: input.expectedVersion,
        currentVersion: latest?.version,
      });
    }
    return this.get(principal, current.id, { forWrite: true });
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids that are not UUIDs are simply not found (and never reach SQL as a cast error). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
