import { type DisclosureEntry, DisclosureEntryKind, DisclosureOutcome } from 'src/audit-api/audit-log.models.js';
import type {
  AuditEvent,
  AuditEventAgent,
  AuditEventEntity,
  AuditEventEntityDetail,
  Bundle,
  CodeableConcept,
  Coding,
} from 'fhir/r4.js';
import { isPurpose, PurposeOfUse } from 'src/vocabulary/purpose.js';

/**
 * One disclosure-log entry as a FHIR R4 AuditEvent, following IHE Basic Audit Log Patterns (BALP
 * 1.1, https://profiles.ihe.net/ITI/BALP/) where they fit. Field names only, never record content:
 * like the log itself. Pure, so the mapping is tested without a database.
 *
 * - DISCLOSURE: BALP "Privacy Disclosure at Source" (IHE.BasicAudit.PrivacyDisclosure.Source):
 *   type DICOM 110106 Export, subtype ISO 21089 `disclose`, action R, Tandem as the source agent
 *   (DICOM 110153), the case system as the recipient (DICOM 110152), the owning agency as custodian,
 *   the child as the patient entity and the record as the data entity. Tandem is the system that
 *   releases the data to another agency, which is what that profile describes; the REST patterns
 *   (type `rest`) describe FHIR RESTful interactions, which Tandem's GraphQL reads are not. The
 *   profile is not claimed in `meta.profile`: it requires network addresses the log does not hold.
 * - CONSULTATION (a look-up that disclosed nothing): DICOM 110112 Query, action E, outcome 4.
 * - ALTERATION: DICOM 110110 Patient Record, action C (no version before) or U, ISO 21089
 *   `originate` / `amend`.
 * - AUDIT_QUERY (an auditor read the log): DICOM 110101 Audit Log Used, action E.
 * The user is the information recipient (BALP's user agent: v3 ParticipationType IRCP, requestor,
 * with their roles) and the case system the client (DICOM 110150 Application), as in BALP's
 * access-token pattern (ITI.BasicAudit.IUAaccessTokenUse); the request's correlation id is BALP's
 * X-Request-Id entity.
 */

/** Tandem's own code and identifier systems (the gateway already names itself `urn:tandem:gateway`). */
export const TANDEM_SYSTEMS = {
  gateway: 'urn:tandem:gateway',
  purposeOfUse: 'urn:tandem:purpose-of-use',
  role: 'urn:tandem:role',
  user: 'urn:tandem:user',
  caseSystem: 'urn:tandem:case-system',
  agency: 'urn:tandem:agency',
  child: 'urn:tandem:child',
  record: 'urn:tandem:record',
  agreement: 'urn:tandem:agreement',
  correlationId: 'urn:tandem:correlation-id',
} as const;

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const LIFECYCLE = 'http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle';
const PARTICIPATION = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
const BALP_ENTITY_TYPE = 'https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType';

/**
 * Tandem purposes that an HL7 v3 PurposeOfUse code (v3-ActReason) also means; its coding is added
 * beside Tandem's own (a translation, never a replacement). Deliberately not mapped, for want of an
 * equivalent: CASE_MANAGEMENT (TREAT and COC are the provision and coordination of health care),
 * SAFEGUARDING (PUBHLTH is population public health such as reporting notifiable conditions; THREAT
 * covers only targets of violence, where safeguarding also covers neglect and every other harm),
 * PLACEMENT_PLANNING, RESETTLEMENT and CUSTODY_CARE (the vocabulary has no social-care or
 * youth-justice codes) and AUDIT (it has no code for reviewing an audit log).
 */
export const HL7_PURPOSE_OF_USE: Readonly<Partial<Record<PurposeOfUse, Coding>>> = {
  // Break-glass: the override of a caller's normal access in an emergency, which audit tools look for as BTG.
  [PurposeOfUse.EMERGENCY]: { system: ACT_REASON, code: 'BTG', display: 'break the glass' },
  // "Activities required by legal proceeding": a report the criminal court asked for; family-court proceedings.
  [PurposeOfUse.COURT_REPORT]: { system: ACT_REASON, code: 'HLEGAL', display: 'legal' },
  [PurposeOfUse.FAMILY_PROCEEDINGS]: { system: ACT_REASON, code: 'HLEGAL', display: 'legal' },
};

/** Who the audit source is: this Tandem deployment, as its tokens' audience names it. */
export interface AuditEventContext {
  readonly observer: string;
}

export function purposeOfEvent(purpose: string): CodeableConcept {
  const hl7 = isPurpose(purpose) ? HL7_PURPOSE_OF_USE[purpose] : undefined;
  return { coding: [{ system: TANDEM_SYSTEMS.purposeOfUse, code: purpose }, ...(hl7 ? [hl7] : [])], text: purpose };
}

export function toAuditEvent(entry: DisclosureEntry, context: AuditEventContext): AuditEvent {
  const disclosure = entry.entryKind === DisclosureEntryKind.DISCLOSURE;
  const refused = entry.outcome === DisclosureOutcome.DENIED || entry.outcome === DisclosureOutcome.NOT_FOUND;
  const observer = {
    type: 'Device' as const,
    identifier: { system: TANDEM_SYSTEMS.gateway, value: context.observer },
    display: 'Tandem',
  };
  return {
    resourceType: 'AuditEvent',
    id: entry.id,
    ...eventType(entry),
    recorded: entry.recordedAt.toISOString(),
    outcome: refused ? '4' : '0',
    ...(refused ? { outcomeDesc: OUTCOME_DESCRIPTIONS[entry.outcome] } : {}),
    ...(entry.purpose ? { purposeOfEvent: [purposeOfEvent(entry.purpose)] } : {}),
    agent: [
      userAgent(entry),
      ...(entry.recipient.agency
        ? [
            {
              type: { coding: [{ system: PARTICIPATION, code: 'IRCP', display: 'information recipient' }] },
              who: {
                type: 'Organization' as const,
                identifier: { system: TANDEM_SYSTEMS.agency, value: entry.recipient.agency.code },
                display: entry.recipient.agency.name,
              },
              requestor: false,
            },
          ]
        : []),
      {
        // The case system: for a disclosure, where the data went (BALP recipient); otherwise the client.
        type: {
          coding: [
            disclosure
              ? { system: DCM, code: '110152', display: 'Destination Role ID' }
              : { system: DCM, code: '110150', display: 'Application' },
          ],
        },
        who: {
          type: 'Device',
          identifier: { system: TANDEM_SYSTEMS.caseSystem, value: entry.recipient.caseSystem },
          display: entry.recipient.caseSystem,
        },
        // Under a delegated token, the client (its token subject) that acted for the user.
        ...(entry.recipient.actor ? { altId: entry.recipient.actor } : {}),
        requestor: false,
      },
      ...(disclosure
        ? [{ type: { coding: [{ system: DCM, code: '110153', display: 'Source Role ID' }] }, who: observer, requestor: false }]
        : []),
      ...(disclosure && entry.subject?.owningAgency
        ? [
            {
              type: { coding: [{ system: PARTICIPATION, code: 'CST', display: 'custodian' }] },
              who: {
                type: 'Organization' as const,
                identifier: { system: TANDEM_SYSTEMS.agency, value: entry.subject.owningAgency.code },
                display: entry.subject.owningAgency.name,
              },
              requestor: false,
            },
          ]
        : []),
    ],
    source: {
      site: context.observer,
      observer,
      type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4', display: 'Application Server' }],
    },
    entity: [
      ...(entry.childId
        ? [
            {
              what: { type: 'Patient' as const, identifier: { system: TANDEM_SYSTEMS.child, value: entry.childId } },
              type: { system: ENTITY_TYPE, code: '1', display: 'Person' },
              role: { system: OBJECT_ROLE, code: '1', display: 'Patient' },
            },
          ]
        : []),
      ...(entry.subject ? [recordEntity(entry, entry.subject)] : []),
      {
        what: { identifier: { system: TANDEM_SYSTEMS.correlationId, value: entry.correlationId } },
        type: { system: BALP_ENTITY_TYPE, code: 'XrequestId' },
      },
    ],
  };
}

/** An empty collection, to which the export adds one entry per log entry. */
export function auditBundle(id: string, timestamp: Date): Bundle {
  return {
    resourceType: 'Bundle',
    identifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${id}` },
    type: 'collection',
    timestamp: timestamp.toISOString(),
  };
}

const OUTCOME_DESCRIPTIONS: Readonly<Record<DisclosureOutcome, string>> = {
  DISCLOSED: 'Disclosed.',
  DENIED: 'Refused: it exists, but the caller may not see it (they were told it was not found).',
  NOT_FOUND: 'Nothing with that id or reference exists.',
  ALTERED: 'Changed.',
  AUDITED: 'An auditor queried the log.',
};

function eventType(entry: DisclosureEntry): Pick<AuditEvent, 'type' | 'subtype' | 'action'> {
  switch (entry.entryKind) {
    case DisclosureEntryKind.DISCLOSURE:
      return {
        type: { system: DCM, code: '110106', display: 'Export' },
        subtype: [{ system: LIFECYCLE, code: 'disclose', display: 'Disclose Record Lifecycle Event' }],
        action: 'R',
      };
    case DisclosureEntryKind.CONSULTATION:
      return { type: { system: DCM, code: '110112', display: 'Query' }, action: 'E' };
    case DisclosureEntryKind.ALTERATION: {
      const created = entry.alteration?.versionBefore == null;
      return {
        type: { system: DCM, code: '110110', display: 'Patient Record' },
        subtype: [
          created
            ? { system: LIFECYCLE, code: 'originate', display: 'Originate/Retain Record Lifecycle Event' }
            : { system: LIFECYCLE, code: 'amend', display: 'Amend (Update) Record Lifecycle Event' },
        ],
        action: created ? 'C' : 'U',
      };
    }
    case DisclosureEntryKind.AUDIT_QUERY:
      return { type: { system: DCM, code: '110101', display: 'Audit Log Used' }, action: 'E' };
  }
}

function userAgent(entry: DisclosureEntry): AuditEventAgent {
  const author = entry.entryKind === DisclosureEntryKind.ALTERATION;
  // The sharing agreement clauses relied on, one URI each: "urn:tandem:agreement:<id>:v<version>#<clause>".
  const policy = [
    ...new Set(
      entry.bases
        .filter((basis) => basis.agreementId)
        .map(
          (basis) =>
            `${TANDEM_SYSTEMS.agreement}:${basis.agreementId}:v${basis.agreementVersion ?? 0}` +
            (basis.clause ? `#${encodeURIComponent(basis.clause)}` : ''),
        ),
    ),
  ];
  return {
    type: {
      coding: [
        author
          ? { system: PARTICIPATION, code: 'AUT', display: 'author (originator)' }
          : { system: PARTICIPATION, code: 'IRCP', display: 'information recipient' },
      ],
    },
    ...(entry.recipient.roles.length > 0
      ? { role: entry.recipient.roles.map((role) => ({ coding: [{ system: TANDEM_SYSTEMS.role, code: role }], text: role })) }
      : {}),
    who: {
      // A case system reading for itself (role SYSTEM) is a device, not a person.
      type:
        entry.recipient.roles.length > 0 && entry.recipient.roles.every((role) => role === 'SYSTEM') ? 'Device' : 'Practitioner',
      identifier: { system: TANDEM_SYSTEMS.user, value: entry.recipient.subject },
      ...(entry.recipient.name.trim() ? { display: entry.recipient.name } : {}),
    },
    ...(entry.recipient.name.trim() ? { name: entry.recipient.name } : {}),
    requestor: true,
    ...(policy.length > 0 ? { policy } : {}),
  };
}

/**
 * The thing disclosed, changed or looked for, with the field paths disclosed and those withheld
 * (path, rule and reason: the policy's words, never the field's value), and the lawful bases.
 */
function recordEntity(entry: DisclosureEntry, subject: NonNullable<DisclosureEntry['subject']>): AuditEventEntity {
  const detail: AuditEventEntityDetail[] = [
    ...entry.disclosedFields.map((field) => ({ type: 'disclosed', valueString: field })),
    ...entry.withheld.map((item) => ({ type: 'withheld', valueString: `${item.field} (${item.rule}): ${item.reason}` })),
    ...[...new Set(entry.bases.map((basis) => basis.lawfulBasis).filter((basis): basis is string => !!basis))].map((basis) => ({
      type: 'lawful-basis',
      valueString: basis,
    })),
  ].filter((item) => item.valueString.trim() !== '');
  return {
    what: {
      identifier: { system: TANDEM_SYSTEMS.record, value: subject.id },
      display: subject.version == null ? subject.kind : `${subject.kind} v${subject.version}`,
    },
    type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
    role: { system: OBJECT_ROLE, code: '4', display: 'Domain Resource' },
    name: subject.kind,
    ...(detail.length > 0 ? { detail } : {}),
  };
}
