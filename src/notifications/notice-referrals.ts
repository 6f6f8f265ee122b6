import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Principal } from 'src/auth/principal.js';
import { Role } from 'src/auth/roles.js';
import { ReferralRepository } from 'src/children/repositories/referral.repository.js';
import { AgencyDirectory, type AgencyRef } from 'src/directory/agency-directory.service.js';
import { DisclosureService } from 'src/disclosure/disclosure.service.js';
import type { InvolvementRole } from 'src/vocabulary/children.enums.js';
import { PurposeOfUse } from 'src/vocabulary/purpose.js';

/** A referral a protocol notice asks of an agency not yet involved, opened when the notice is routed. */
export interface NoticeReferral extends ReferralTarget {
  readonly from: AgencyRef & { readonly name: string };
  /** The notice clause, e.g. "derby-yos-csc@v4 §5.3". */
  readonly clause: string;
  readonly eventId: string;
  readonly correlationId: string;
}

/** Whose referral a notification names: at most one is pending per child, receiving agency and role. */
export interface ReferralTarget {
  readonly childId: string;
  readonly toAgencyId: string;
  readonly role: InvolvementRole;
}

export function referralKey(target: ReferralTarget): string {
  return `${target.childId}|${target.toAgencyId}|${target.role}`;
}

/**
 * Opens the referrals protocol notices ask (a remand to the front door: CSC; an out-of-borough move
 * to the host YOS: caretaking), on the asking agency's behalf, in the router's transaction, with
 * its alteration receipt. A referral already pending for the child, agency and role is reused: a
 * second notice only notifies.
 */
@Injectable()
export class NoticeReferrals {
  private readonly logger = new Logger(NoticeReferrals.name);

  constructor(
    @Inject(ReferralRepository) private readonly referrals: ReferralRepository,
    @Inject(DisclosureService) private readonly disclosure: DisclosureService,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
  ) {}

  /** The referral pending for the target, if any (a notice that opens none still names it). */
  pending(manager: EntityManager, target: ReferralTarget): Promise<string | null> {
    return this.referrals.pendingId(manager, target.childId, target.toAgencyId, target.role);
  }

  /** The id of the pending referral (opened now or earlier); null when the asking agency has no case system to act through. */
  async open(manager: EntityManager, referral: NoticeReferral): Promise<string | null> {
    const [caseSystem] = await this.directory.caseSystemsOf(referral.from.id);
    if (!caseSystem) {
      this.logger.warn(`No case system acts for ${referral.from.code}: no referral opened for event ${referral.eventId}`);
      return null;
    }
    // Tandem acts for the asking agency: the receipt names it and the case system it acts through.
    const principal = new Principal(
      'tandem:protocol-notice',
      `Tandem, for ${referral.from.name} (protocol notice)`,
      referral.from,
      caseSystem,
      [Role.SYSTEM],
      { header: PurposeOfUse.CASE_MANAGEMENT, justification: undefined, correlationId: referral.correlationId },
    );
    const { id, opened } = await this.referrals.openPending(manager, {
      id: randomUUID(),
      childId: referral.childId,
      fromAgencyId: referral.from.id,
      toAgencyId: referral.toAgencyId,
      role: referral.role,
      clause: referral.clause,
      referredBy: principal.subject,
      referredByName: principal.name,
      openedByEventId: referral.eventId,
    });
    if (opened) {
      await this.disclosure.recordAlteration(manager, principal, {
        action: 'openReferralByNotice',
        childId: referral.childId,
        kind: 'REFERRAL',
        id,
        versionBefore: null,
        versionAfter: null,
        owningAgencyId: referral.from.id,
      });
    }
    return id;
  }
}
