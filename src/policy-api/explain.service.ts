import { Inject, Injectable } from '@nestjs/common';
import { Principal } from 'src/auth/principal.js';
import { auditedAgencyIds } from 'src/auth/audit-scope.js';
import { Role } from 'src/auth/roles.js';
import { DisclosureService } from 'src/disclosure/disclosure.service.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { ChildrenService, isUuid } from 'src/children/children.service.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import type { AccessExplanation, AccessExplanationEntry, ExplainAsUserInput } from 'src/policy-api/explain.model.js';
import type { SubjectAttributes } from 'src/policy/access-subject.js';
import { locatingFor } from 'src/policy/contact-restriction.js';
import { type ClassExplanation, PolicyService } from 'src/policy/policy.service.js';
import { PurposeOfUse } from 'src/vocabulary/purpose.js';
import { RecordReader } from 'src/records/record-reader.service.js';

const NO_PLACES: ReadonlySet<string> = new Set();

/**
 * explainAccess: the same ability that filters responses, asked class by class. A caller explains
 * their own access to a child they can see; an auditor may explain anyone's, under AUDIT, for a
 * child one of the agencies in their scope works with (another authority's records only as the
 * explained user may see them), each question logged as an AUDIT_QUERY.
 */
@Injectable()
export class ExplainService {
  constructor(
    @Inject(PolicyService) private readonly policy: PolicyService,
    @Inject(ChildrenService) private readonly children: ChildrenService,
    @Inject(RecordReader) private readonly records: RecordReader,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(DisclosureService) private readonly disclosure: DisclosureService,
  ) {}

  async explain(
    caller: Principal,
    childId: string,
    purpose: PurposeOfUse,
    recordId: string | null,
    asUser: ExplainAsUserInput | null,
  ): Promise<AccessExplanation> {
    const auditing = asUser !== null;
    if (auditing && !caller.roles.includes(Role.AUDITOR))
      throw TandemError.forbidden('Only an auditor may explain another user’s access');
    // As the log is read: under AUDIT, within the auditor's scope, and logged before it is answered.
    if (auditing && caller.requirePurpose() !== PurposeOfUse.AUDIT)
      throw TandemError.forbidden('Another user’s access is explained for purpose AUDIT only');
    const target = auditing ? await this.asUser(asUser, purpose) : this.withPurpose(caller, purpose);
    if (!isUuid(childId) || !(await this.children.exists(childId))) throw TandemError.notFound('Child');
    const scope = auditing ? auditedAgencyIds(caller.auditScope, await this.directory.agencyRecords()) : null;
    // A child none of the auditor's agencies works with is not theirs to ask about: as if it did not exist.
    if (scope && !(await this.policy.involvedAgencyIds(childId)).some((agencyId) => scope.includes(agencyId)))
      throw TandemError.notFound('Child');
    const childVisible = await this.children.isVisible(target, childId);
    if (!auditing && !childVisible) throw TandemError.notFound('Child');
    const access = await this.policy.childAccess(target, childId);
    // C10 holds here as in reads: a caller explaining their own access is not told where the child is.
    const places = auditing ? NO_PLACES : (locatingFor(access, target.agency.id)?.agencies ?? NO_PLACES);
    const entries: AccessExplanationEntry[] = [];
    if (recordId) {
      let facts = await this.records.factsFor(auditing ? null : target, recordId);
      // Another authority's record (a draft among them) only as the explained user may see it.
      if (scope && !scope.includes(facts.owningAgencyId)) facts = await this.records.factsFor(target, recordId);
      // Its kind and its agreement would name the place as its owner does (C10): no such record, to them.
      if (facts.childId !== childId || places.has(facts.owningAgencyId)) throw TandemError.notFound('Record');
      entries.push({
        owningAgency: await this.directory.agency(facts.owningAgencyId),
        recordId: facts.id,
        recordKind: facts.kind,
        decisions: (await this.policy.explain(target, this.policy.recordAttributes(target, facts, access))).map(toModel),
      });
    } else {
      for (const agencyId of await this.policy.involvedAgencyIds(childId)) {
        if (places.has(agencyId)) continue;
        const attributes: SubjectAttributes = this.policy.detailAttributes(target, agencyId, access);
        entries.push({
          owningAgency: await this.directory.agency(agencyId),
          recordId: null,
          recordKind: null,
          decisions: (await this.policy.explain(target, attributes)).map(toModel),
        });
      }
    }
    if (auditing) {
      const explained = { subject: asUser.subject, agencyCode: asUser.agencyCode, roles: [...asUser.roles] };
      await this.disclosure.recordAuditQuery(caller, 'explainAccess', { asUser: explained, purpose, recordId }, childId);
    }
    return {
      subject: target.subject,
      purpose,
      childId,
      childVisible,
      relationship: [...access.relationship],
      agencyRoles: [...access.agencyRoles],
      entries,
    };
  }

  private withPurpose(principal: Principal, purpose: PurposeOfUse): Principal {
    return new Principal(principal.subject, principal.name, principal.agency, principal.caseSystem, principal.roles, {
      header: purpose,
      justification: principal.justification ?? undefined,
      accessReason: principal.accessReason ?? undefined,
    });
  }

  private async asUser(user: ExplainAsUserInput, purpose: PurposeOfUse): Promise<Principal> {
    const agency = await this.directory.agencyByCode(user.agencyCode);
    if (!agency) throw TandemError.badInput('Unknown agency code', 'asUser.agencyCode');
    if (user.roles.length === 0) throw TandemError.badInput('Name at least one role', 'asUser.roles');
    return new Principal(
      user.subject,
      user.subject,
      { id: agency.id, code: agency.code, kind: agency.kind, localAuthorityId: agency.localAuthorityId },
      { id: '', code: '(explained)' },
      user.roles,
      { header: purpose, justification: undefined },
    );
  }
}

function toModel(decision: ClassExplanation) {
  return {
    sensitivityClass: decision.sensitivityClass,
    allowed: decision.allowed,
    rule: decision.rule,
    reason: decision.reason,
    agreementId: decision.allowed ? (decision.origin?.agreementId ?? null) : null,
    agreementVersion: decision.allowed ? (decision.origin?.agreementVersion ?? null) : null,
    clause: decision.allowed ? (decision.origin?.clause ?? null) : null,
    lawfulBasis: decision.lawfulBasis,
  };
}
