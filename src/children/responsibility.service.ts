import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Principal } from 'src/auth/principal.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { RequestLoaders } from 'src/common/loaders/request-loaders.js';
import { londonToday } from 'src/common/time/london.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { type LeadSnapshot, type LookedAfterSnapshot, leadEvent, lookedAfterEvent } from 'src/children/children.events.js';
import type { Work } from 'src/events/unit-of-work.js';
import type { LegalStatusEpisodeEntity } from 'src/children/entities/legal-status-episode.entity.js';
import { CareLeaverStatus, LeadProfessional, LookedAfterStatus } from 'src/children/models/responsibility.model.js';
import {
  ResponsibilityInputsRepository,
  type ResponsibilityRows,
} from 'src/children/repositories/responsibility-inputs.repository.js';
import { type Described, describe } from 'src/policy/disclosed.js';
import { Discloser } from 'src/policy/discloser.service.js';
import type { WithheldField } from 'src/policy/models/withheld.model.js';
import { PolicyService } from 'src/policy/policy.service.js';
import { careLeaverCategory } from 'src/responsibility/care-leaver.js';
import { leadInputs, leadProfessional } from 'src/responsibility/lead-professional.js';
import { deriveLookedAfter } from 'src/responsibility/looked-after.js';
import { ResponsibilityRegistry } from 'src/responsibility/responsibility-registry.service.js';
import type {
  CareLeaverDecision,
  LeadDecision,
  LookedAfterDerivation,
  LookedAfterStep,
  StatusEpisode,
} from 'src/responsibility/responsibility.types.js';
import { LeadService } from 'src/responsibility/responsibility.types.js';
import { AgencyKind, AllocationRole, InvolvementRole } from 'src/vocabulary/children.enums.js';
import { type Agencies, authorityOf, type DutyHolder, dutyHolderOf, homeAuthorityOf } from 'src/children/duty-holder.js';

/** What the protocols' rules say about one child today, with what they read. */
export interface ChildResponsibility {
  readonly childId: string;
  readonly lookedAfter: LookedAfterDerivation;
  readonly careLeaver: CareLeaverDecision;
  readonly lead: LeadDecision;
  readonly leadAgencyId: string | null;
  readonly leadPractitionerName: string | null;
  /** The agency that recorded the latest episode (as of the date): the owner receipts name. */
  readonly ownerAgencyId: string | null;
  /** Every agency whose episodes (as of the date) the answers were computed from. */
  readonly contributors: readonly string[];
  readonly dateOfBirth: string;
}

/** One child's inputs, read once (`atOnce`). */
export interface ChildAtOnce {
  /** The code of the local authority whose policy applies (null: none involved yet, Derby's default). */
  readonly authority: string | null;
  /** Who holds a duty of `kind` (see `dutyHolderOf`). */
  holder(kind: AgencyKind, role: AllocationRole | null): DutyHolder | null;
  /** The responsibility facts as of a London date. */
  compute(asOf: string): ChildResponsibility;
}

const LEAD_WORKER: Readonly<
  Record<LeadService, { kind: AgencyKind; roles: readonly InvolvementRole[]; worker: AllocationRole } | null>
> = {
  YOUTH_JUSTICE: { kind: AgencyKind.YOUTH_JUSTICE, roles: [InvolvementRole.YOS_HOME], worker: AllocationRole.YOS_CASE_MANAGER },
  CHILDRENS_SOCIAL_CARE: {
    kind: AgencyKind.CHILDRENS_SOCIAL_CARE,
    roles: [InvolvementRole.CSC],
    worker: AllocationRole.SOCIAL_WORKER,
  },
  LEAVING_CARE: { kind: AgencyKind.LEAVING_CARE, roles: [InvolvementRole.LEAVING_CARE], worker: AllocationRole.PERSONAL_ADVISER },
  NONE: null,
};

/**
 * Looked-after status, care-leaver category and lead professional, computed from the legal-status
 * history under the child's authority's policy (DOMAIN §4.1, §4.2, §4.5; DECISIONS §1–3): never
 * typed in, recomputed on every read and inside every change that alters an input.
 */
@Injectable()
export class ChildResponsibilityService {
  private readonly loaders = new RequestLoaders('responsibility');

  constructor(
    @Inject(ResponsibilityInputsRepository) private readonly inputs: ResponsibilityInputsRepository,
    @Inject(ResponsibilityRegistry) private readonly registry: ResponsibilityRegistry,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(PolicyService) private readonly policy: PolicyService,
    @Inject(Discloser) private readonly discloser: Discloser,
  ) {}

  /** The child's responsibility facts as committed, or as a change in progress sees them. */
  async compute(childId: string, manager?: EntityManager, asOf?: string): Promise<ChildResponsibility> {
    const rows = await this.inputs.load([childId], manager);
    const [result] = this.computeAll([childId], rows, await this.directory.agencyRecords(), asOf);
    if (!result) throw new Error(`Child ${childId} not found`);
    return result;
  }

  /**
   * Runs a change to an input of the rules inside `work`, then raises LOOKED_AFTER_STATUS_CHANGED and
   * LEAD_PROFESSIONAL_CHANGED when the change moved them (DOMAIN §4.1, §4.2: recomputed on every event).
   */
  async tracking<T>(work: Work, childId: string, change: () => Promise<T>): Promise<T> {
    // Concurrent changes to one child serialise here, so each compares against the other's result.
    await this.inputs.lockChild(work.manager, childId);
    const before = await this.snapshots(childId, work.manager);
    const result = await change();
    const after = await this.snapshots(childId, work.manager);
    if (after.lookedAfter && !sameStep(before.lookedAfter, after.lookedAfter)) {
      work.emit(lookedAfterEvent(childId, after.lookedAfter, before.lookedAfter));
    }
    if (!sameLead(before.lead, after.lead)) work.emit(leadEvent(childId, after.lead, before.lead));
    return result;
  }

  /** The child's authority (as `authorityOf`), and the roles an agency is involved with the child in now: who records its legal status. */
  async recorderOf(
    childId: string,
    agencyId: string,
  ): Promise<{
    authority: string | null;
    involvementRoles: InvolvementRole[];
    heldRoles: InvolvementRole[];
    homeAuthorityId: string | null;
  }> {
    const [rows, agencies] = await Promise.all([this.inputs.load([childId]), this.directory.agencyRecords()]);
    return {
      authority: authorityOf(rows.involvements, new Map(agencies.map((agency) => [agency.id, agency]))),
      involvementRoles: rows.involvements
        .filter((involvement) => involvement.agencyId === agencyId && involvement.endDate === null)
        .map((involvement) => involvement.role),
      heldRoles: rows.involvements.filter((involvement) => involvement.endDate === null).map((involvement) => involvement.role),
      homeAuthorityId: homeAuthorityOf(rows.involvements, agencies),
    };
  }

  /** The code of the local authority whose policy applies to the child (null: none involved yet, Derby's default). */
  async authorityOf(childId: string, manager?: EntityManager): Promise<string | null> {
    const [rows, agencies] = await Promise.all([this.inputs.load([childId], manager), this.directory.agencyRecords()]);
    return authorityOf(rows.involvements, new Map(agencies.map((agency) => [agency.id, agency])));
  }

  /**
   * The child's inputs read once, to answer several questions about it at one moment: the duties
   * engine asks its authority, the facts around an event and each duty's holder, per event.
   */
  async atOnce(childId: string, manager: EntityManager): Promise<ChildAtOnce> {
    const [rows, agencies] = await Promise.all([this.inputs.load([childId], manager), this.directory.agencyRecords()]);
    return {
      authority: authorityOf(rows.involvements, new Map(agencies.map((agency) => [agency.id, agency]))),
      holder: (kind, role) => dutyHolderOf(rows, agencies, kind, role),
      compute: (asOf) => {
        const [result] = this.computeAll([childId], rows, agencies, asOf);
        if (!result) throw new Error(`Child ${childId} not found`);
        return result;
      },
    };
  }

  /** The snapshots events carry, to compare before and after a change. */
  async snapshots(
    childId: string,
    manager: EntityManager,
  ): Promise<{ lookedAfter: LookedAfterSnapshot | null; lead: LeadSnapshot }> {
    const facts = await this.compute(childId, manager);
    return { lookedAfter: facts.lookedAfter.current ? stepSnapshot(facts.lookedAfter.current) : null, lead: leadSnapshot(facts) };
  }

  async lookedAfterStatus(principal: Principal, childId: string): Promise<LookedAfterStatus | null> {
    const facts = await this.forRead(principal, childId);
    const step = facts.lookedAfter.current;
    return step ? this.disclose(principal, facts, stepView(facts, step)) : null;
  }

  async lookedAfterHistory(principal: Principal, childId: string): Promise<LookedAfterStatus[]> {
    const facts = await this.forRead(principal, childId);
    const steps = [...facts.lookedAfter.history].reverse();
    return Promise.all(steps.map((step) => this.disclose(principal, facts, stepView(facts, step))));
  }

  /** On `asOf` (default today): the history up to that day, ages on that day. */
  async careLeaverStatus(principal: Principal, childId: string, asOf: string | null): Promise<CareLeaverStatus> {
    const facts = await this.forRead(principal, childId, asOf ?? londonToday());
    if (asOf && asOf < facts.dateOfBirth) throw TandemError.badInput('asOf is before the child was born', 'asOf');
    const decision = facts.careLeaver;
    return this.disclose(
      principal,
      facts,
      describe<CareLeaverStatus>(
        {
          ...refOf(decision),
          category: decision.category,
          asOf: decision.asOf,
          age: decision.age,
          daysLookedAfterSince14: decision.daysLookedAfterSince14,
          lookedAfterAfter16: decision.lookedAfterAfter16,
          withheld: [],
        },
        derivedFacts('CARE_LEAVER_STATUS', childId, facts.ownerAgencyId, CareLeaverStatus),
      ),
    );
  }

  async leadProfessional(principal: Principal, childId: string): Promise<LeadProfessional> {
    const facts = await this.forRead(principal, childId);
    const agency = facts.leadAgencyId ? await this.directory.agency(facts.leadAgencyId) : null;
    return this.disclose(
      principal,
      facts,
      describe<LeadProfessional>(
        {
          ...refOf(facts.lead),
          lead: facts.lead.lead,
          agency,
          practitionerName: facts.leadPractitionerName,
          alsoRequired: [...facts.lead.alsoRequired],
          inputs: { ...facts.lead.inputs },
          withheld: [],
        },
        derivedFacts('LEAD_PROFESSIONAL', childId, facts.ownerAgencyId, LeadProfessional),
      ),
    );
  }

  private forRead(principal: Principal, childId: string, asOf = londonToday()): Promise<ChildResponsibility> {
    return this.loaders
      .loader<string, ChildResponsibility>(principal, `facts@${asOf}`, async (ids) => {
        const [rows, agencies] = await Promise.all([this.inputs.load(ids), this.directory.agencyRecords()]);
        return this.computeAll(ids, rows, agencies, asOf);
      })
      .load(childId);
  }

  private async disclose<T extends { withheld: WithheldField[] }>(
    principal: Principal,
    facts: ChildResponsibility,
    value: Described<T>,
  ): Promise<T> {
    const access = await this.policy.childAccess(principal, facts.childId);
    // A derived answer carries the information of every agency whose episodes it was computed from:
    // it is decided once per such agency and a field leaves only if every one of them lets it (the
    // other agencies' decision first, so the receipt names their grants). With nothing recorded (as of
    // the date asked) it carries no agency's information and is decided as the caller's own.
    const owners = facts.contributors.length > 0 ? [...facts.contributors] : [principal.agency.id];
    owners.sort((a, b) => Number(a === principal.agency.id) - Number(b === principal.agency.id));
    const [first, ...others] = await Promise.all(
      owners.map((owner) => this.discloser.disclose(principal, value, this.policy.detailAttributes(principal, owner, access))),
    );
    if (!first) throw new Error('A derived answer is decided for at least one owner');
    const withheld = first.withheld;
    for (const other of others) {
      for (const item of other.withheld) {
        if (withheld.some((already) => already.field === item.field)) continue;
        clearPath(first, item.field);
        withheld.push(item);
      }
    }
    return first;
  }

  private computeAll(
    ids: readonly string[],
    rows: ResponsibilityRows,
    agencies: Agencies,
    today = londonToday(),
  ): ChildResponsibility[] {
    const byId = new Map(agencies.map((agency) => [agency.id, agency]));
    return ids.flatMap((childId) => {
      const child = rows.children.find((candidate) => candidate.id === childId);
      if (!child) return [];
      const episodeRows = rows.episodes.filter((episode) => episode.childId === childId && episode.startDate <= today);
      const involvements = rows.involvements.filter((involvement) => involvement.childId === childId);
      const authority = authorityOf(involvements, byId);
      const policy = this.registry.forAuthority(authority);
      // As it stood on `today`: an episode that ended later was still open then.
      const episodes = episodeRows.map((row) => ({
        ...statusEpisode(row),
        endDate: row.endDate && row.endDate <= today ? row.endDate : null,
      }));
      const lookedAfter = deriveLookedAfter(episodes, child.dateOfBirth, policy, today);
      const careLeaver = careLeaverCategory(lookedAfter, episodes, child.dateOfBirth, today, policy);
      const open = involvements.filter((involvement) => involvement.endDate === null);
      const lead = leadProfessional(
        leadInputs({
          derivation: lookedAfter,
          episodes,
          cscInvolvement: involvements
            .filter((involvement) => involvement.role === InvolvementRole.CSC)
            .map((involvement) => ({ startDate: involvement.startDate, endDate: involvement.endDate })),
          careLeaver,
          youthJusticeInvolved: open.some(
            (involvement) => involvement.role === InvolvementRole.YOS_HOME || involvement.role === InvolvementRole.YOS_HOST,
          ),
          asOf: today,
        }),
        policy,
      );
      const leadAgencyId = leadAgency(lead.lead, open, authority, agencies);
      const worker = LEAD_WORKER[lead.lead];
      const practitioner =
        leadAgencyId && worker
          ? rows.allocations.find(
              (allocation) =>
                allocation.childId === childId && allocation.agencyId === leadAgencyId && allocation.role === worker.worker,
            )
          : undefined;
      const latest = episodeRows.at(-1);
      return [
        {
          childId,
          lookedAfter,
          careLeaver,
          lead,
          leadAgencyId,
          leadPractitionerName: practitioner?.practitionerName ?? null,
          ownerAgencyId: latest?.recordedByAgencyId ?? null,
          contributors: [...new Set(episodeRows.map((row) => row.recordedByAgencyId))],
          dateOfBirth: child.dateOfBirth,
        },
      ];
    });
  }
}

/** The lead service's agency for this child: the involved one, else the authority's (e.g. CSC under Somerset's L10). */
function leadAgency(
  lead: LeadService,
  open: ResponsibilityRows['involvements'],
  authority: string | null,
  agencies: Agencies,
): string | null {
  const worker = LEAD_WORKER[lead];
  if (!worker) return null;
  const involved = open.find((involvement) => worker.roles.includes(involvement.role));
  if (involved) return involved.agencyId;
  return agencies.find((agency) => agency.kind === worker.kind && agency.localAuthority?.code === authority)?.id ?? null;
}

export function statusEpisode(row: LegalStatusEpisodeEntity): StatusEpisode {
  return {
    basis: row.basis,
    dimension: row.dimension,
    startDate: row.startDate,
    endDate: row.endDate,
    outcome: row.outcome,
    requirements: row.requirements,
  };
}

function refOf(ref: { rule: string; citation: string; policy: string }) {
  return { rule: ref.rule, citation: ref.citation, policy: ref.policy };
}

function derivedFacts(kind: string, childId: string, owningAgencyId: string | null, model: Function) {
  return { kind, id: childId, childId, version: null, owningAgencyId, model };
}

function stepView(facts: ChildResponsibility, step: LookedAfterStep): Described<LookedAfterStatus> {
  return describe<LookedAfterStatus>(
    {
      ...refOf(step),
      lookedAfter: step.lookedAfter,
      route: step.route,
      formerlyLookedAfterInDetention: step.formerlyLookedAfterInDetention,
      since: step.since,
      decidedOn: step.date,
      trigger: step.trigger,
      withheld: [],
    },
    derivedFacts('LOOKED_AFTER_STATUS', facts.childId, facts.ownerAgencyId, LookedAfterStatus),
  );
}

function stepSnapshot(step: LookedAfterStep): LookedAfterSnapshot {
  return {
    lookedAfter: step.lookedAfter,
    route: step.route,
    formerlyLookedAfterInDetention: step.formerlyLookedAfterInDetention,
    since: step.since,
    date: step.date,
    trigger: step.trigger,
    rule: step.rule,
    citation: step.citation,
    policy: step.policy,
  };
}

function leadSnapshot(facts: ChildResponsibility): LeadSnapshot {
  return {
    lead: facts.lead.lead,
    agencyId: facts.leadAgencyId,
    alsoRequired: [...facts.lead.alsoRequired],
    rule: facts.lead.rule,
    citation: facts.lead.citation,
    policy: facts.lead.policy,
  };
}

function sameStep(a: LookedAfterSnapshot | null, b: LookedAfterSnapshot): boolean {
  return a !== null && a.lookedAfter === b.lookedAfter && a.route === b.route && a.rule === b.rule && a.date === b.date;
}

function sameLead(a: LeadSnapshot, b: LeadSnapshot): boolean {
  return a.lead === b.lead && a.agencyId === b.agencyId && a.rule === b.rule && a.alsoRequired.join() === b.alsoRequired.join();
}

/** Sets the field at a dotted path (as `withheld` names it) to null. */
function clearPath(value: object, path: string): void {
  const keys = path.split('.');
  let target: unknown = value;
  for (const key of keys.slice(0, -1)) {
    target = target && typeof target === 'object' ? (target as Record<string, unknown>)[key] : undefined;
  }
  const last = keys.at(-1);
  if (last && target && typeof target === 'object') (target as Record<string, unknown>)[last] = null;
}
