import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { ErrorCode, TandemError } from 'src/common/errors/tandem-error.js';
import { PurposeOfUse } from 'src/vocabulary/purpose.js';
import { shapedCursor, encodeCursor, pageSize } from 'src/common/pagination/cursor.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Page, toPage } from 'src/common/pagination/connection.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { AgencyKind, InvolvementRole } from 'src/vocabulary/children.enums.js';
import { toChild } from 'src/children/children.mappers.js';
import type { Child } from 'src/children/models/child.model.js';
import type { ChildIdentityInput, RegisterChildInput, UpdateChildDetailsInput } from 'src/children/models/child.inputs.js';
import { Discloser } from 'src/policy/discloser.service.js';
import { PolicyService } from 'src/policy/policy.service.js';
import { DisclosureService } from 'src/disclosure/disclosure.service.js';
import { UnitOfWork } from 'src/events/unit-of-work.js';
import { requireText } from 'src/common/validation/text.js';
import type { ChildEntity } from 'src/children/entities/child.entity.js';
import { ChildRepository, type LookedUpChild } from 'src/children/repositories/child.repository.js';
import { ChildDetailsService } from 'src/children/child-details.service.js';
import { InvolvementRepository } from 'src/children/repositories/involvement.repository.js';
import { checkedIdentity } from 'src/children/child-identity.js';
import { ChildMatchingService, describeInput, mayBeNamed } from 'src/children/child-matching.service.js';
import { MatchOutcome } from 'src/identity/match-result.js';
import { ChildReadAheads, type ChildSelection, type LookUpNames } from 'src/children/child-read-ahead.js';
import { londonDateOf } from 'src/common/time/london.js';
import { validateCaseReference } from 'src/identity/case-reference.js';
import { changesWhoTheChildIs } from 'src/children/identity-change.js';
import { homeAuthorityOf } from 'src/children/duty-holder.js';

/** What read-ahead columns are written against in the look-up by id (see ChildRepository.lookUpByIdWith). */
const READ_AHEAD_NAMES: LookUpNames = { childId: 'wanted.id', access: 'access' };

/** The involvement an agency of each kind takes on when it registers (or links) a child. */
export const REGISTERING_ROLE: Readonly<Partial<Record<AgencyKind, InvolvementRole>>> = {
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
    @Inject(ChildMatchingService) private readonly matching: ChildMatchingService,
    @Inject(ChildDetailsService) private readonly details: ChildDetailsService,
    @Inject(ChildReadAheads) private readonly readAheads: ChildReadAheads,
  ) {}

  /**
   * A child the caller may see (break-glass included for reads); NOT_FOUND otherwise. A read that
   * finds nothing is logged as a consultation: DENIED when the child exists, NOT_FOUND when not.
   */
  async get(
    principal: Principal,
    childId: string,
    options: { forWrite?: boolean; selection?: ChildSelection } = {},
  ): Promise<Child> {
    const id = isUuid(childId) ? childId : NO_ID;
    return this.resolved(
      principal,
      this.primed(principal, await this.lookUp(principal, id, options.selection)),
      childId,
      options.forWrite ?? false,
    );
  }

  /** The look-up by id, with what the selection asks for read ahead in the same statement (ChildReadAhead). */
  private async lookUp(principal: Principal, id: string, selection: ChildSelection | undefined): Promise<LookedUpChild> {
    const columns = selection ? await this.readAheads.columnsFor(principal, selection, READ_AHEAD_NAMES) : [];
    if (columns.length === 0) return this.children.lookUpById(id, this.policy.accessParameters(principal));
    const found = await this.children.lookUpByIdWith(id, this.policy.accessCaller(principal), columns);
    // Under the child's own id (as its records are asked for), however the id asked for was written.
    columns.forEach((column, index) => column.receive(found.child?.id ?? id, found.extra[index] ?? null));
    return found;
  }

  /**
   * A merged child's id resolves to the child it was merged into (following later merges). A read
   * gets the survivor; a write is refused with CONFLICT naming the survivor's id (once the caller
   * may write to it), so nothing new ever hangs off a merged id and an unmerge stays exact.
   */
  private async resolved(principal: Principal, found: ChildEntity | null, lookup: string, forWrite: boolean): Promise<Child> {
    let current = found;
    for (let hops = 0; current?.mergedIntoId && hops < MAX_MERGE_HOPS; hops++) {
      current = await this.children.findById(current.mergedIntoId);
    }
    const survivor = await this.lookedUp(principal, current, lookup, forWrite);
    if (forWrite && found && found.id !== survivor.id) {
      throw TandemError.conflict('This child was merged into another: use its id', { childId: survivor.id });
    }
    return survivor;
  }

  /**
   * By a case-system reference; the caller's own system unless another is named. Under break-glass
   * only the caller's own system: another agency's references are guessable, and an emergency
   * read goes by name and date of birth (or an id the caller holds) instead.
   */
  async getByReference(principal: Principal, reference: string, caseSystemCode: string | undefined): Promise<Child> {
    const named = caseSystemCode ? await this.directory.caseSystemByCode(caseSystemCode) : undefined;
    const caseSystemId = caseSystemCode ? (named?.id ?? NO_ID) : principal.caseSystem.id;
    let found = this.primed(
      principal,
      await this.children.lookUpByReference(caseSystemId, reference, this.policy.accessParameters(principal)),
    );
    // A reference a merge left on the merged child (its case system had one on the survivor too).
    for (let hops = 0; found?.mergedIntoId && hops < MAX_MERGE_HOPS; hops++)
      found = await this.children.findById(found.mergedIntoId);
    const othersReference =
      principal.statedPurpose === PurposeOfUse.EMERGENCY && caseSystemCode && caseSystemCode !== principal.caseSystem.code;
    // C10: a reference in the system of an agency where the child is would confirm the place, so
    // to a party a contact restriction names it finds nothing, as a reference nobody holds.
    // (Logged, too, as such a look-up: naming the child in the log would confirm it to a reader of it.)
    const locates =
      found !== null && named !== undefined && (await this.discloser.locatingAgencies(principal, found.id)).has(named.agency.id);
    return this.lookedUp(
      principal,
      locates ? null : found,
      `${caseSystemCode ?? principal.caseSystem.code}:${reference}`,
      false,
      {
        refusal: othersReference
          ? TandemError.badInput(
              "Under emergency access look a child up by name and date of birth (childByIdentity), by an id you hold, or by your own case system's reference",
              'caseSystem',
            )
          : undefined,
      },
    );
  }

  /**
   * By given name, family name and date of birth (letter case aside). When several children match
   * and the caller may see more than one of them, CONFLICT: an id or a case reference tells them apart.
   */
  async getByIdentity(principal: Principal, input: ChildIdentityInput): Promise<Child> {
    const matches = await this.children.findByIdentity(
      requireText(input.givenName, 'givenName'),
      requireText(input.familyName, 'familyName'),
      input.dateOfBirth,
    );
    let visible: ChildEntity[];
    try {
      const seen = await Promise.all(
        matches.map(async (match) => ((await this.policy.canSeeChild(principal, match.id, { forWrite: false })) ? [match] : [])),
      );
      visible = seen.flat();
    } catch (error) {
      if (isRefusal(error)) this.noteConsultation(principal, matches[0] ?? null, BY_IDENTITY);
      throw error;
    }
    if (visible.length > 1) {
      throw TandemError.conflict(
        'More than one child you may see has that name and date of birth: use an id or a case reference',
      );
    }
    // The look-up itself is child data: the log says how the child was looked for, not who.
    return this.lookedUp(principal, visible[0] ?? matches[0] ?? null, BY_IDENTITY, false);
  }

  async list(principal: Principal, first: number | null | undefined, after: string | null | undefined): Promise<Page<Child>> {
    const size = pageSize(first, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const filter = await this.policy.childFilter(principal, 'c.id', { forList: true });
    const rows = await this.children.pageVisible(
      filter,
      size + 1,
      after ? shapedCursor(after, { id: 'uuid', sortKey: 'text' }) : undefined,
    );
    const children = await Promise.all(rows.map((row) => this.discloser.discloseChild(principal, toChild(row))));
    return toPage(children, size, (child) => encodeCursor(child.familyName, child.id));
  }

  /**
   * What the look-up statement read beside the child: the caller's connection to it (for the
   * policy's checks) and its legal-status history (for the fields that show it), as if each had
   * been read where it is used.
   */
  private primed(principal: Principal, lookedUp: LookedUpChild): ChildEntity | null {
    const { child, access, legalStatus } = lookedUp;
    this.policy.primeChildAccess(principal, child?.id ?? NO_ID, access);
    if (child && legalStatus) this.details.primeLegalStatus(principal, child.id, legalStatus);
    return child;
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

  /**
   * The one path of every single-child look-up, whether or not the child exists: the same checks
   * run the same statements (on NO_ID when nothing was found), so a child the caller may not see
   * and one that does not exist cannot be told apart by what the gateway does or how long it takes.
   * A refusal of a read is logged as a consultation; a break-glass read is logged and its child's
   * allocated workers told. `refusal`: the look-up is refused whatever it found, once the caller's
   * purpose (and emergency grounds) are checked.
   */
  private async lookedUp(
    principal: Principal,
    found: ChildEntity | null,
    lookup: string,
    forWrite: boolean,
    options: { refusal?: TandemError | undefined } = {},
  ): Promise<Child> {
    const childId = found?.id ?? NO_ID;
    try {
      const visible = await this.policy.canSeeChild(principal, childId, { forWrite });
      if (options.refusal) throw options.refusal;
      if (!forWrite) await this.policy.checkEmergencyRate(principal, childId);
      if (!found || !visible) throw TandemError.notFound('Child');
      if (!forWrite) await this.policy.noteChildRead(principal, found.id);
    } catch (error) {
      if (!forWrite && (isRefusal(error) || error === options.refusal)) this.noteConsultation(principal, found, lookup);
      throw error;
    }
    return this.discloser.discloseChild(principal, toChild(found));
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

  /**
   * Registers a child under the caller's case-system reference, with the caller's agency involved.
   * It matches first: a child Tandem already holds confidently is refused with CONFLICT, naming its
   * id (for linkCaseReference) when the caller's purpose allows matching, instead of a duplicate.
   */
  async register(principal: Principal, input: RegisterChildInput): Promise<Child> {
    // As linkCaseReference checks it: no invisible or direction-reversing characters (a reference
    // that looks like another child's).
    const checkedReference = validateCaseReference(input.caseReference);
    if (!checkedReference.valid) {
      throw TandemError.badInput(`Not a usable case reference (${checkedReference.reason})`, 'input.caseReference');
    }
    const reference = checkedReference.value;
    const role = REGISTERING_ROLE[principal.agency.kind];
    if (!role) throw TandemError.forbidden(`A ${principal.agency.kind} agency does not register children`);
    const identity = checkedIdentity(input, 'input', principal.agency.id);
    await this.refuseDuplicate(principal, describeInput(input));
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
          ...identity,
        },
        { caseSystemId: principal.caseSystem.id, value: reference },
      );
      const involvement = await this.involvements.insert(manager, {
        childId: child.id,
        agencyId: principal.agency.id,
        role,
        startDate: input.involvementStartDate ?? londonDateOf(child.createdAt),
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

  private async refuseDuplicate(principal: Principal, description: ReturnType<typeof describeInput>): Promise<void> {
    const finding = await this.matching.find(principal, description);
    if (finding.outcome === MatchOutcome.NO_MATCH || !finding.child) return;
    await this.matching.log(principal, finding, 'registerChild');
    // A possible match is registered anyway (a person may merge later), but the log names it.
    if (finding.outcome === MatchOutcome.POSSIBLE) return;
    if (!mayBeNamed(principal)) {
      throw TandemError.conflict(
        'Tandem already holds this child: find it with matchChild under a purpose that allows matching, then link your reference',
      );
    }
    throw TandemError.conflict('Tandem already holds this child: attach your reference with linkCaseReference', {
      childId: finding.child.id,
      matchedAttributes: finding.agreed,
    });
  }

  async updateDetails(principal: Principal, input: UpdateChildDetailsInput): Promise<Child> {
    const current = await this.get(principal, input.childId, { forWrite: true });
    const patch = {
      ...(input.givenName != null ? { givenName: requireText(input.givenName, 'input.givenName') } : {}),
      ...(input.familyName != null ? { familyName: requireText(input.familyName, 'input.familyName') } : {}),
      ...(input.dateOfBirth != null ? { dateOfBirth: input.dateOfBirth } : {}),
      ...checkedIdentity(input, 'input', principal.agency.id),
    };
    if (patch.identifiersAgencyId !== undefined) await this.requireIdentifiersOwner(principal, current.id, input.expectedVersion);
    if (changesWhoTheChildIs(patch, current)) await this.requireHomeAuthority(principal, current.id);
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

  /**
   * Who the child is (name, date of birth) is corrected by the first authority still working with it:
   * another authority's agency, involved since, would change the identity every other agency reads
   * and matches against (a link by name and date of birth, then a new name, took a child over).
   */
  private async requireHomeAuthority(principal: Principal, childId: string): Promise<void> {
    const [involvements, agencies] = await Promise.all([
      this.involvements.forChildren([childId]),
      this.directory.agencyRecords(),
    ]);
    const home = homeAuthorityOf(involvements, agencies);
    if (home !== null && home !== principal.agency.localAuthorityId) {
      throw TandemError.forbidden(
        "The child's name and date of birth are corrected by the first local authority still working with the child",
      );
    }
  }

  /**
   * A child's national identifiers are one set, owned by the agency that recorded them: another
   * agency writing one would take all of them over (and withhold them from their owner). The
   * version the caller read is the one checked: the update itself is refused if it moved since.
   */
  private async requireIdentifiersOwner(principal: Principal, childId: string, expectedVersion: number): Promise<void> {
    const stored = await this.children.findById(childId);
    if (!stored || stored.version !== expectedVersion) return;
    if (stored.identifiersAgencyId !== null && stored.identifiersAgencyId !== principal.agency.id) {
      throw TandemError.forbidden("The child's national identifiers were recorded by another agency: only it corrects them");
    }
  }
}

/** Merges chain when a survivor is itself merged later; more hops than this is a defect, not data. */
const MAX_MERGE_HOPS = 5;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How a look-up by name and date of birth is logged: those are child data, so not them. */
const BY_IDENTITY = 'name and date of birth';

/** A refusal a look-up answers with (the caller learns nothing of the child from either). */
function isRefusal(error: unknown): boolean {
  return error instanceof TandemError && (error.code === ErrorCode.NOT_FOUND || error.code === ErrorCode.FORBIDDEN);
}

/** An id nothing has: a look-up of an id that is not a UUID runs the same statements with it. */
export const NO_ID = '00000000-0000-0000-0000-000000000000';

/** Ids that are not UUIDs are simply not found (and never reach SQL as a cast error). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
