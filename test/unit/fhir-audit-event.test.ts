import { beforeAll, describe, expect, it } from 'vitest';
import { type DisclosureEntry, DisclosureEntryKind, DisclosureOutcome, ExportFormat } from 'src/audit-api/audit-log.models.js';
import { HL7_PURPOSE_OF_USE, purposeOfEvent, TANDEM_SYSTEMS, toAuditEvent } from 'src/audit-api/fhir-audit-event.js';
import type { AuditEvent, Bundle } from 'fhir/r4.js';
import { type ExportSource, writeExport } from 'src/audit-api/log-export.js';
import { AgencyKind } from 'src/vocabulary/children.enums.js';
import { PurposeOfUse } from 'src/vocabulary/purpose.js';
import { fhirJsonProblems, fhirValidator } from '../support/fhir-schema.js';

const CONTEXT = { observer: 'tandem-test' };
const CHILD = '00000000-0000-4000-9000-000000000001';
const PLAN = '00000000-0000-4000-9000-000000000102';
const agency = (code: string, name: string) => ({
  id: `id-${code}`,
  code,
  name,
  kind: AgencyKind.YOUTH_JUSTICE,
  localAuthority: null,
  frontDoorTeam: null,
  outOfHoursTeam: null,
});

/** A YOS case manager read the CSC's care plan: two fields disclosed, one withheld. */
function disclosure(overrides: Partial<DisclosureEntry> = {}): DisclosureEntry {
  return {
    id: '1042',
    recordedAt: new Date('2026-12-01T10:15:30.123Z'),
    entryKind: DisclosureEntryKind.DISCLOSURE,
    outcome: DisclosureOutcome.DISCLOSED,
    recipient: {
      subject: 'dana.hughes',
      name: 'Dana Hughes',
      roles: ['YOS_CASE_MANAGER'],
      agency: agency('derby-yos', 'Derby Youth Offending Service'),
      caseSystem: 'derby-yos-childview',
      actor: null,
    },
    childId: CHILD,
    subject: { kind: 'CARE_PLAN', id: PLAN, version: 3, owningAgency: agency('derby-csc', "Derby Children's Social Care") },
    purpose: 'CASE_MANAGEMENT',
    justification: null,
    breakGlass: false,
    afterAllocationEnded: false,
    disclosedFields: ['content.summary', 'kind'],
    withheld: [
      { field: 'content.health', reason: 'Health information is not shared for this purpose', rule: 'derby-yos-csc:4.2' },
    ],
    bases: [
      {
        sensitivityClass: 'CARE_PLANNING',
        rule: 'derby-yos-csc:3.1',
        lawfulBasis: 'UK GDPR Art 6(1)(e)',
        agreementId: 'derby-yos-csc',
        agreementVersion: 2,
        clause: '3.1',
        permissionKind: null,
        permissionId: null,
        permissionReference: null,
      },
    ],
    alteration: null,
    lookup: null,
    correlationId: 'corr-1',
    operationName: 'Plan',
    operationHash: 'abc',
    channel: 'GRAPHQL',
    ...overrides,
  };
}

const codes = (event: AuditEvent) => event.agent.map((agent) => agent.type?.coding?.[0]?.code);

describe('a disclosure as a FHIR AuditEvent', () => {
  const event = toAuditEvent(disclosure(), CONTEXT);

  it('follows BALP Privacy Disclosure at Source: Export, disclose, read, success', () => {
    expect(event).toMatchObject({
      resourceType: 'AuditEvent',
      id: '1042',
      type: { system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110106' },
      subtype: [{ system: 'http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle', code: 'disclose' }],
      action: 'R',
      recorded: '2026-12-01T10:15:30.123Z',
      outcome: '0',
      source: { observer: { identifier: { system: TANDEM_SYSTEMS.gateway, value: 'tandem-test' } } },
    });
  });

  it('names the user (requestor, with their role), their agency, the case system, Tandem and the custodian', () => {
    expect(codes(event)).toEqual(['IRCP', 'IRCP', '110152', '110153', 'CST']);
    const [user, recipientAgency, caseSystem, source, custodian] = event.agent;
    expect(user).toMatchObject({
      who: { identifier: { system: TANDEM_SYSTEMS.user, value: 'dana.hughes' }, display: 'Dana Hughes' },
      requestor: true,
      role: [{ coding: [{ system: TANDEM_SYSTEMS.role, code: 'YOS_CASE_MANAGER' }] }],
      policy: ['urn:tandem:agreement:derby-yos-csc:v2#3.1'],
    });
    expect(recipientAgency?.who?.identifier?.value).toBe('derby-yos');
    expect(caseSystem).toMatchObject({ who: { identifier: { value: 'derby-yos-childview' } }, requestor: false });
    // BALP: the source agent is the audit source itself.
    expect(source?.who).toEqual(event.source.observer);
    expect(custodian?.who?.identifier?.value).toBe('derby-csc');
  });

  it('points at the child by Tandem id and lists the field paths disclosed and withheld, never values', () => {
    const [patient, record, request] = event.entity ?? [];
    expect(patient).toMatchObject({
      what: { type: 'Patient', identifier: { system: TANDEM_SYSTEMS.child, value: CHILD } },
      role: { code: '1', display: 'Patient' },
    });
    expect(record).toMatchObject({ what: { identifier: { value: PLAN }, display: 'CARE_PLAN v3' }, name: 'CARE_PLAN' });
    expect(record?.detail).toEqual([
      { type: 'disclosed', valueString: 'content.summary' },
      { type: 'disclosed', valueString: 'kind' },
      { type: 'withheld', valueString: 'content.health (derby-yos-csc:4.2): Health information is not shared for this purpose' },
      { type: 'lawful-basis', valueString: 'UK GDPR Art 6(1)(e)' },
    ]);
    expect(request).toMatchObject({ what: { identifier: { value: 'corr-1' } }, type: { code: 'XrequestId' } });
  });

  it('gives the purpose in Tandem’s vocabulary, with HL7’s code only where one means the same', () => {
    expect(event.purposeOfEvent).toEqual([
      { coding: [{ system: TANDEM_SYSTEMS.purposeOfUse, code: 'CASE_MANAGEMENT' }], text: 'CASE_MANAGEMENT' },
    ]);
    expect(purposeOfEvent('EMERGENCY').coding?.map((coding) => coding.code)).toEqual(['EMERGENCY', 'BTG']);
    expect(purposeOfEvent('COURT_REPORT').coding?.map((coding) => coding.code)).toEqual(['COURT_REPORT', 'HLEGAL']);
    // Safeguarding one child is not public health, nor only protection from violence (THREAT).
    expect(purposeOfEvent('SAFEGUARDING').coding).toHaveLength(1);
    expect(Object.keys(HL7_PURPOSE_OF_USE).sort()).toEqual(
      [PurposeOfUse.COURT_REPORT, PurposeOfUse.EMERGENCY, PurposeOfUse.FAMILY_PROCEEDINGS].sort(),
    );
    expect(purposeOfEvent('NOT_A_PURPOSE').coding).toHaveLength(1);
  });

  it('takes a case system reading for itself for a device, not a person', () => {
    const system = toAuditEvent(
      disclosure({ recipient: { ...disclosure().recipient, subject: 'derby-yos-integration', roles: ['SYSTEM'] } }),
      CONTEXT,
    );
    expect(system.agent[0]?.who?.type).toBe('Device');
    expect(event.agent[0]?.who?.type).toBe('Practitioner');
  });

  it('names a delegated client as the case system’s alternative id', () => {
    const delegated = toAuditEvent(disclosure({ recipient: { ...disclosure().recipient, actor: 'childview-client' } }), CONTEXT);
    expect(delegated.agent[2]?.altId).toBe('childview-client');
  });
});

describe('the other kinds of entry', () => {
  it('a refused look-up is a Query, executed, a minor failure', () => {
    const event = toAuditEvent(
      disclosure({
        entryKind: DisclosureEntryKind.CONSULTATION,
        outcome: DisclosureOutcome.DENIED,
        subject: { kind: 'CARE_PLAN', id: PLAN, version: null, owningAgency: null },
        disclosedFields: [],
        withheld: [],
        bases: [],
        lookup: PLAN,
      }),
      CONTEXT,
    );
    expect(event).toMatchObject({ type: { code: '110112', display: 'Query' }, action: 'E', outcome: '4' });
    expect(event.outcomeDesc).toMatch(/Refused/);
    expect(codes(event)).toEqual(['IRCP', 'IRCP', '110150']);
    expect(event.entity?.[1]?.detail).toBeUndefined();
    const missing = toAuditEvent(
      disclosure({
        entryKind: DisclosureEntryKind.CONSULTATION,
        outcome: DisclosureOutcome.NOT_FOUND,
        childId: null,
        subject: null,
      }),
      CONTEXT,
    );
    expect(missing.outcome).toBe('4');
    expect(missing.entity?.map((entity) => entity.type?.code)).toEqual(['XrequestId']);
  });

  it('a change is a Patient Record event: created, or updated', () => {
    const alteration = (versionBefore: number | null) =>
      toAuditEvent(
        disclosure({
          entryKind: DisclosureEntryKind.ALTERATION,
          outcome: DisclosureOutcome.ALTERED,
          alteration: { action: 'updateRecord', versionBefore, versionAfter: (versionBefore ?? 0) + 1 },
          disclosedFields: [],
          withheld: [],
          bases: [],
        }),
        CONTEXT,
      );
    expect(alteration(null)).toMatchObject({ type: { code: '110110' }, action: 'C', subtype: [{ code: 'originate' }] });
    expect(alteration(2)).toMatchObject({ action: 'U', subtype: [{ code: 'amend' }], outcome: '0' });
    expect(codes(alteration(2))[0]).toBe('AUT');
  });

  it('an auditor’s query is Audit Log Used', () => {
    const event = toAuditEvent(
      disclosure({
        entryKind: DisclosureEntryKind.AUDIT_QUERY,
        outcome: DisclosureOutcome.AUDITED,
        purpose: 'AUDIT',
        subject: null,
      }),
      CONTEXT,
    );
    expect(event).toMatchObject({ type: { code: '110101' }, action: 'E', outcome: '0' });
  });
});

/** A log of the given entries, newest first, for the export. */
function logOf(entries: readonly DisclosureEntry[]): ExportSource<{ readonly id: string }> {
  return {
    page: (limit, beforeId) => {
      const from = beforeId === undefined ? 0 : entries.findIndex((entry) => entry.id === beforeId) + 1;
      return Promise.resolve(entries.slice(from, from + limit).map((entry) => ({ id: entry.id })));
    },
    entry: (row) => Promise.resolve(entries.find((entry) => entry.id === row.id) ?? disclosure()),
  };
}

describe('the FHIR export against the official R4 JSON schema', () => {
  const kinds: DisclosureEntry[] = [
    disclosure({ id: '5' }),
    disclosure({ id: '4', purpose: 'EMERGENCY', breakGlass: true, justification: 'Missing overnight' }),
    disclosure({
      id: '3',
      entryKind: DisclosureEntryKind.CONSULTATION,
      outcome: DisclosureOutcome.NOT_FOUND,
      childId: null,
      subject: null,
      purpose: null,
    }),
    disclosure({
      id: '2',
      entryKind: DisclosureEntryKind.ALTERATION,
      outcome: DisclosureOutcome.ALTERED,
      alteration: { action: 'createRecord', versionBefore: null, versionAfter: 1 },
      recipient: { ...disclosure().recipient, roles: [], agency: null, name: ' ' },
    }),
    disclosure({
      id: '1',
      entryKind: DisclosureEntryKind.AUDIT_QUERY,
      outcome: DisclosureOutcome.AUDITED,
      purpose: 'AUDIT',
      subject: null,
    }),
  ];
  const context = { fhir: CONTEXT, generatedAt: new Date('2026-12-02T00:00:00Z') };
  beforeAll(() => fhirValidator(), 60_000);

  it('writes a collection Bundle, one AuditEvent per entry, that the schema accepts', async () => {
    const file = await writeExport(logOf(kinds), ExportFormat.FHIR, 100, undefined, context);
    expect(file).toMatchObject({ rows: 5, truncated: false });
    const bundle = JSON.parse(file.content) as Bundle<AuditEvent>;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection', timestamp: '2026-12-02T00:00:00.000Z' });
    expect(bundle.entry?.map((entry) => entry.resource?.id)).toEqual(['5', '4', '3', '2', '1']);
    expect(fhirValidator().resource(bundle)).toEqual([]);
    for (const entry of bundle.entry ?? []) expect(fhirValidator().ofType('AuditEvent', entry.resource)).toEqual([]);
    expect(fhirJsonProblems(bundle)).toEqual([]);
    // Never content, and never the free text beside it (justification, look-up).
    expect(file.content).not.toContain('Missing overnight');
  });

  it('refuses what R4 does not allow, so the check above means something', () => {
    const event = toAuditEvent(disclosure(), CONTEXT);
    expect(fhirValidator().ofType('AuditEvent', { ...event, action: 'X' })).not.toEqual([]);
    expect(fhirValidator().ofType('AuditEvent', { ...event, source: { identifier: { value: 'stu3' } } })).not.toEqual([]);
    expect(fhirValidator().ofType('AuditEvent', { ...event, recorded: '1 December' })).not.toEqual([]);
  });

  it('writes an empty Bundle without an empty entry array, and stays valid when the byte cap cuts it', async () => {
    const empty = JSON.parse((await writeExport(logOf([]), ExportFormat.FHIR, 100, undefined, context)).content) as Bundle;
    expect(empty.entry).toBeUndefined();
    expect(fhirValidator().resource(empty)).toEqual([]);
    const one = (await writeExport(logOf(kinds.slice(0, 1)), ExportFormat.FHIR, 100, undefined, context)).content.length;
    const cut = await writeExport(logOf(kinds), ExportFormat.FHIR, 100, one + 10, context);
    expect(cut).toMatchObject({ rows: 1, truncated: true });
    expect(fhirValidator().resource(JSON.parse(cut.content))).toEqual([]);
  });
});
