import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from 'src/common/pagination/connection.js';
import { Agency } from 'src/directory/directory.model.js';

export enum DisclosureOutcome {
  DISCLOSED = 'DISCLOSED',
  DENIED = 'DENIED',
  NOT_FOUND = 'NOT_FOUND',
  ALTERED = 'ALTERED',
  AUDITED = 'AUDITED',
}

export enum DisclosureEntryKind {
  DISCLOSURE = 'DISCLOSURE',
  CONSULTATION = 'CONSULTATION',
  ALTERATION = 'ALTERATION',
  AUDIT_QUERY = 'AUDIT_QUERY',
}

export enum ExportFormat {
  CSV = 'CSV',
  JSON = 'JSON',
  FHIR = 'FHIR',
}

registerEnumType(DisclosureOutcome, {
  name: 'DisclosureOutcome',
  description: 'What happened: data disclosed, a look-up refused or finding nothing, a change, an auditor’s query.',
  valuesMap: {
    DISCLOSED: { description: 'Child data left the gateway.' },
    DENIED: { description: 'The thing exists but the caller may not see it (they were told NOT_FOUND).' },
    NOT_FOUND: { description: 'Nothing with that id or reference exists.' },
    ALTERED: { description: 'Child data was changed.' },
    AUDITED: { description: 'An auditor queried the log.' },
  },
});
registerEnumType(DisclosureEntryKind, {
  name: 'DisclosureEntryKind',
  description: 'The kind of log entry.',
  valuesMap: {
    DISCLOSURE: { description: 'A receipt for one thing disclosed.' },
    CONSULTATION: { description: 'A look-up that disclosed nothing.' },
    ALTERATION: { description: 'A change, with versions before and after.' },
    AUDIT_QUERY: { description: 'An auditor’s query of the log.' },
  },
});
registerEnumType(ExportFormat, {
  name: 'ExportFormat',
  description: 'The format of an export.',
  valuesMap: {
    CSV: { description: 'Comma-separated values, one entry per line, with a header line.' },
    JSON: { description: 'A JSON array of entries.' },
    FHIR: {
      description:
        'A FHIR R4 Bundle (type collection) of AuditEvent resources, one per entry, after IHE Basic Audit Log Patterns; field names, never content.',
    },
  },
});

@InputType({ description: 'Which log entries to return; every condition given must hold.' })
export class DisclosureFilter {
  @Field(() => ID, { nullable: true, description: 'The child the entry is about.' })
  childId?: string | null;

  @Field(() => String, { nullable: true, description: 'The user (token subject) who received or looked.' })
  userSubject?: string | null;

  @Field(() => String, { nullable: true, description: 'The recipient case system’s code.' })
  caseSystem?: string | null;

  @Field(() => String, { nullable: true, description: 'The recipient agency’s code.' })
  agency?: string | null;

  @Field(() => ID, { nullable: true, description: 'The record (or child, placement…) disclosed.' })
  recordId?: string | null;

  @Field(() => String, { nullable: true, description: 'The purpose of use stated.' })
  purpose?: string | null;

  @Field(() => DisclosureOutcome, { nullable: true, description: 'The outcome.' })
  outcome?: DisclosureOutcome | null;

  @Field(() => DisclosureEntryKind, { nullable: true, description: 'The kind of entry.' })
  entryKind?: DisclosureEntryKind | null;

  @Field(() => Boolean, { nullable: true, description: 'Only (or never) entries under break-glass.' })
  breakGlass?: boolean | null;

  @Field(() => Date, { nullable: true, description: 'Recorded at or after this time.' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Recorded before this time.' })
  to?: Date | null;
}

@ObjectType({ description: 'Who received or looked: a user of a case system acting for an agency.' })
export class DisclosureRecipient {
  @Field({ description: 'The token subject.' })
  subject: string;

  @Field({ description: 'Their name.' })
  name: string;

  @Field(() => [String], { description: 'Their roles.' })
  roles: string[];

  @Field(() => Agency, { nullable: true, description: 'Their agency.' })
  agency: Agency | null;

  @Field({ description: 'The case system the request came through.' })
  caseSystem: string;

  @Field(() => String, {
    nullable: true,
    description:
      "Under a delegated token, the case system's client (its token subject) that acted for the user (RFC 8693 `act`); null when the user acted for themselves.",
  })
  actor?: string | null;
}

@ObjectType({ description: 'What an entry is about: a child, a record, a placement… at a version.' })
export class DisclosedThing {
  @Field({ description: 'CHILD, PLACEMENT, LEGAL_STATUS, RISK_FLAG, a record kind, or what was changed.' })
  kind: string;

  @Field(() => ID, { description: 'Its id.' })
  id: string;

  @Field(() => Int, { nullable: true, description: 'Its version, where it has one.' })
  version: number | null;

  @Field(() => Agency, { nullable: true, description: 'The agency that owns it.' })
  owningAgency: Agency | null;
}

@ObjectType({ description: 'A field withheld from what was asked, and why.' })
export class DisclosureWithheld {
  @Field({ description: 'The field path.' })
  field: string;

  @Field({ description: 'Why.' })
  reason: string;

  @Field({ description: 'The rule that withheld it.' })
  rule: string;
}

@ObjectType({ description: 'The rule, agreement clause and lawful basis under which a sensitivity class was disclosed.' })
export class DisclosureBasis {
  @Field({ description: 'The sensitivity class.' })
  sensitivityClass: string;

  @Field({ description: 'The deciding rule.' })
  rule: string;

  @Field(() => String, { nullable: true, description: 'The lawful basis the sharing agreement names for the class.' })
  lawfulBasis: string | null;

  @Field(() => String, { nullable: true, description: 'The sharing agreement.' })
  agreementId: string | null;

  @Field(() => Int, { nullable: true, description: 'Its version.' })
  agreementVersion: number | null;

  @Field(() => String, { nullable: true, description: 'Its clause.' })
  clause: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'For a class behind a gate (C1, C2): the kind of the recorded permission it relied on.',
  })
  permissionKind: string | null;

  @Field(() => ID, {
    nullable: true,
    description: "That permission's id (an alteration entry with this record id says who recorded it).",
  })
  permissionId: string | null;

  @Field(() => String, { nullable: true, description: "That permission's reference (order number, consent form, letter)." })
  permissionReference: string | null;
}

@ObjectType({ description: 'A change: the versions before and after.' })
export class DisclosureAlteration {
  @Field({ description: 'The operation that made the change.' })
  action: string;

  @Field(() => Int, { nullable: true, description: 'The version before.' })
  versionBefore: number | null;

  @Field(() => Int, { nullable: true, description: 'The version after.' })
  versionAfter: number | null;
}

@ObjectType({ description: 'One entry of the disclosure log: metadata and field names only, never record content.' })
export class DisclosureEntry {
  @Field(() => ID, { description: 'The entry’s position in the log.' })
  id: string;

  @Field({ description: 'When.' })
  recordedAt: Date;

  @Field(() => DisclosureEntryKind, { description: 'The kind of entry.' })
  entryKind: DisclosureEntryKind;

  @Field(() => DisclosureOutcome, { description: 'The outcome.' })
  outcome: DisclosureOutcome;

  @Field(() => DisclosureRecipient, { description: 'Who received it or looked.' })
  recipient: DisclosureRecipient;

  @Field(() => ID, { nullable: true, description: 'The child it is about.' })
  childId: string | null;

  @Field(() => DisclosedThing, { nullable: true, description: 'What was disclosed, changed or looked for.' })
  subject: DisclosedThing | null;

  @Field(() => String, { nullable: true, description: 'The purpose of use stated.' })
  purpose: string | null;

  @Field(() => String, { nullable: true, description: 'The break-glass justification.' })
  justification: string | null;

  @Field({ description: 'Under break-glass.' })
  breakGlass: boolean;

  @Field({ description: 'Allowed only by the grace period after the user’s allocation ended.' })
  afterAllocationEnded: boolean;

  @Field(() => [String], { description: 'The field paths disclosed.' })
  disclosedFields: string[];

  @Field(() => [DisclosureWithheld], { description: 'Fields asked for and withheld, with reasons.' })
  withheld: DisclosureWithheld[];

  @Field(() => [DisclosureBasis], { description: 'Per class disclosed: rule, agreement clause and lawful basis.' })
  bases: DisclosureBasis[];

  @Field(() => DisclosureAlteration, { nullable: true, description: 'For changes: versions before and after.' })
  alteration: DisclosureAlteration | null;

  @Field(() => String, { nullable: true, description: 'For look-ups: what was looked for.' })
  lookup: string | null;

  @Field({ description: 'The request’s correlation id.' })
  correlationId: string;

  @Field(() => String, { nullable: true, description: 'The GraphQL operation’s name.' })
  operationName: string | null;

  @Field(() => String, { nullable: true, description: 'SHA-256 of the operation’s text.' })
  operationHash: string | null;

  @Field({ description: 'The channel: GRAPHQL, SUBSCRIPTION, WEBHOOK or EXPORT.' })
  channel: string;
}

@ObjectType('DisclosureConnection', { description: 'A page of disclosure-log entries, newest first.' })
export class DisclosureConnection extends Connection(DisclosureEntry, 'DisclosureList', 'disclosure-log entry') {}

@ObjectType({ description: 'Log entries as a file: CSV, JSON or a FHIR R4 Bundle of AuditEvents.' })
export class DisclosureExport {
  @Field(() => ExportFormat, { description: 'The format.' })
  format: ExportFormat;

  @Field({ description: 'The media type.' })
  contentType: string;

  @Field(() => Int, { description: 'Entries in the file.' })
  rows: number;

  @Field({ description: 'More entries matched than the file holds (its limit, or 16 MiB).' })
  truncated: boolean;

  @Field({ description: 'The file.' })
  content: string;
}

@ObjectType({ description: 'A signed checkpoint, for the other agency to hold and check the log against.' })
export class DisclosureCheckpoint {
  @Field(() => Int, { description: 'Its number.' })
  id: number;

  @Field({ description: 'The signed statement (canonical JSON).' })
  statement: string;

  @Field({ description: 'The Ed25519 signature, base64.' })
  signature: string;

  @Field({ description: 'The signing key’s id.' })
  keyId: string;

  @Field({ description: 'The signing public key (PEM).' })
  publicKey: string;

  @Field({ description: 'When it was signed (as in the statement).' })
  signedAt: Date;

  @Field({ description: 'The first place in the hash chain it covers (sequence number, as in the statement).' })
  firstSeq: string;

  @Field({ description: 'The last place in the hash chain it covers.' })
  lastSeq: string;

  @Field(() => Int, { description: 'How many receipts the batch holds (the statement’s treeSize).' })
  receipts: number;
}
