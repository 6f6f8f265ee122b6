import { z } from 'zod';
import { Role } from 'src/auth/roles.js';
import { InvolvementRole } from 'src/vocabulary/children.enums.js';
import { SensitivityClass } from 'src/vocabulary/sensitivity/sensitivity-class.js';
import { PurposeOfUse } from 'src/vocabulary/purpose.js';
import { Relationship } from 'src/policy/relationship.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { EmergencyReason } from 'src/vocabulary/emergency-reason.js';

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** A condition on the record that must hold for a grant to apply (the protocols' gates). */
export enum GrantRequirement {
  /** C1: a court order or specific consent is recorded on the record. */
  COURT_ORDER_OR_CONSENT = 'COURT_ORDER_OR_CONSENT',
  /** C2: the third party's permission is recorded on the record. */
  THIRD_PARTY_PERMISSION = 'THIRD_PARTY_PERMISSION',
}

/** What a grant covers: shared records, a child's placements and legal status (and allocations), or both. */
export enum GrantSubject {
  RECORD = 'RECORD',
  CHILD_DETAIL = 'CHILD_DETAIL',
}

const grantSchema = z
  .object({
    clause: z.string().min(1),
    summary: z.string().min(1),
    from: z.string().min(1),
    to: z.string().min(1),
    roles: z.array(z.nativeEnum(Role)).min(1),
    purposes: z.array(z.nativeEnum(PurposeOfUse)).min(1),
    classes: z.array(z.nativeEnum(SensitivityClass)).min(1),
    relationships: z.array(z.nativeEnum(Relationship)).min(1).optional(),
    involvementRoles: z.array(z.nativeEnum(InvolvementRole)).min(1).optional(),
    recordKinds: z.array(z.nativeEnum(RecordKind)).min(1).optional(),
    requires: z.nativeEnum(GrantRequirement).optional(),
    /** Both when absent. */
    subjects: z.array(z.nativeEnum(GrantSubject)).min(1).optional(),
  })
  .strict();

/**
 * Who may use emergency (break-glass) access, for which reasons, to which children: named roles at
 * the `to` agency, with a reason from the clause, reach the narrow emergency read of a child one of
 * `childrenOf` is involved with (in `involvementRoles`, when given), on the clause's lawful basis.
 */
const emergencySchema = z
  .object({
    clause: z.string().min(1),
    summary: z.string().min(1),
    to: z.string().min(1),
    roles: z.array(z.nativeEnum(Role)).min(1),
    reasons: z.array(z.nativeEnum(EmergencyReason)).min(1),
    childrenOf: z.array(z.string().min(1)).min(1),
    /** Only children those agencies are involved with in these roles (e.g. a home YOS, not a host); any role when absent. */
    involvementRoles: z.array(z.nativeEnum(InvolvementRole)).min(1).optional(),
    lawfulBasis: z.string().min(1),
  })
  .strict();

/** A protocol event's type as the outbox names it (the events module's EventType, which this layer may not import). */
const eventTypeName = z.string().regex(/^[A-Z][A-Z_]+$/);

/**
 * Which agency may ask which other to become involved with a child, in which involvement roles:
 * `referredBy` roles at `from` ask, `decidedBy` roles at `to` accept or decline, and the request
 * discloses only `classes` of the child to the receiving agency.
 *
 * A protocol notice to an agency not yet involved (a remand to the front door, an out-of-borough
 * move to the host YOS) opens such a referral by itself: the events in `openedBy`, recorded about a
 * child `from` is involved with, reach `to` disclosing only `noticeClasses`, and Tandem opens the
 * referral on `from`'s behalf. A clause with `openedBy` and no `referredBy` is opened only that way.
 */
const referralSchema = z
  .object({
    clause: z.string().min(1),
    summary: z.string().min(1),
    from: z.string().min(1),
    to: z.string().min(1),
    roles: z.array(z.nativeEnum(InvolvementRole)).min(1),
    referredBy: z.array(z.nativeEnum(Role)),
    decidedBy: z.array(z.nativeEnum(Role)).min(1),
    classes: z.array(z.nativeEnum(SensitivityClass)).min(1),
    openedBy: z.array(eventTypeName).min(1).optional(),
    noticeClasses: z.array(z.nativeEnum(SensitivityClass)).min(1).optional(),
  })
  .strict();

export const agreementSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    version: z.number().int().positive(),
    title: z.string().min(1),
    source: z.string().min(1),
    parties: z.array(z.string().min(1)).min(2),
    effectiveFrom: localDate,
    reviewDate: localDate,
    lawfulBasis: z.record(z.nativeEnum(SensitivityClass), z.string().min(1)),
    grants: z.array(grantSchema).min(1),
    emergency: z.array(emergencySchema).min(1).optional(),
    referrals: z.array(referralSchema).min(1).optional(),
  })
  .strict()
  .superRefine((agreement, ctx) => {
    const requireParty = (code: string, path: (string | number)[]) => {
      if (!agreement.parties.includes(code))
        ctx.addIssue({ code: z.ZodIssueCode.custom, path, message: `${code} is not a party` });
    };
    agreement.emergency?.forEach((clause, index) => {
      for (const code of [clause.to, ...clause.childrenOf]) requireParty(code, ['emergency', index]);
    });
    agreement.referrals?.forEach((clause, index) => {
      const issue = (field: string, message: string) =>
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['referrals', index, field], message });
      for (const code of [clause.from, clause.to]) requireParty(code, ['referrals', index]);
      for (const [field, classes] of [
        ['classes', clause.classes],
        ['noticeClasses', clause.noticeClasses ?? []],
      ] as const) {
        for (const cls of classes) if (!agreement.lawfulBasis[cls]) issue(field, `no lawful basis for ${cls}`);
      }
      if (clause.referredBy.length === 0 && !clause.openedBy) issue('referredBy', 'nobody asks and no event opens it');
      // A notice and the events that send it come together, and a notice says who the child is.
      if (!clause.openedBy !== !clause.noticeClasses) issue('noticeClasses', 'openedBy and noticeClasses go together');
      if (clause.noticeClasses && !clause.noticeClasses.includes(SensitivityClass.IDENTITY_BASIC)) {
        issue('noticeClasses', 'a notice names the child: IDENTITY_BASIC is needed');
      }
    });
    agreement.grants.forEach((grant, index) => {
      for (const party of [grant.from, grant.to]) {
        if (!agreement.parties.includes(party)) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['grants', index], message: `${party} is not a party` });
        }
      }
      for (const cls of grant.classes) {
        if (!agreement.lawfulBasis[cls]) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: ['grants', index, 'classes'],
            message: `no lawful basis for ${cls}`,
          });
        }
      }
    });
  });

export type SharingAgreement = z.infer<typeof agreementSchema>;
export type AgreementGrant = SharingAgreement['grants'][number];
export type EmergencyClause = NonNullable<SharingAgreement['emergency']>[number];
export type ReferralClause = NonNullable<SharingAgreement['referrals']>[number];
