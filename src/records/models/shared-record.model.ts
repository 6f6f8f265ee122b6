import { Field, ID, Int, InterfaceType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Sensitive, SensitiveGroup } from 'src/vocabulary/sensitivity/sensitive-field.decorator.js';
import { SensitivityClass as S } from 'src/vocabulary/sensitivity/sensitivity-class.js';
import { Agency } from 'src/directory/directory.model.js';
import { WithheldField } from 'src/policy/models/withheld.model.js';
import { RecordCategory, RecordKind, RECORD_KINDS } from 'src/vocabulary/record-kind.js';
import { RECORD_CONTENTS } from 'src/records/content/record-contents.js';
import { RecordCopy, RecordSignature, RecordWithdrawal } from 'src/records/models/record-lifecycle.model.js';
import { RecordStatus } from 'src/vocabulary/record-status.js';

@ObjectType({ description: 'Who wrote a version of a record, and through which case system.' })
export class RecordAuthor {
  @Field({ description: "The author's name." })
  name: string;

  @Field(() => Agency, { description: 'The agency they wrote for.' })
  agency: Agency;

  @Field({ description: 'The code of the case system the version came through.' })
  caseSystem: string;
}

@ObjectType({ description: 'One version of a record, without its content.' })
export class RecordVersionSummary {
  @Field(() => Int, { description: 'The version number, from 1.' })
  version: number;

  @Field(() => RecordStatus, { description: 'Draft, final, or a final version superseded by a later one.' })
  status: RecordStatus;

  @Field(() => RecordAuthor, { description: 'Who wrote it (for a FINAL version: who made it final).' })
  author: RecordAuthor;

  @Field({ description: 'When it was written.' })
  createdAt: Date;

  @Field(() => [RecordSignature], { description: "Other agencies' signatures of this version, oldest first." })
  signatures: RecordSignature[];
}

@ObjectType({ description: "Another agency's acknowledgement of (or comment on) a version of a record." })
export class RecordAcknowledgement {
  @Field(() => ID, { description: "Tandem's id for the acknowledgement." })
  id: string;

  @Field(() => Int, { description: 'The version acknowledged.' })
  version: number;

  @Field({ description: 'Who acknowledged it.' })
  name: string;

  @Field(() => Agency, { description: 'Their agency.' })
  agency: Agency;

  @Field(() => String, { nullable: true, description: 'Their comment, if any.' })
  comment: string | null;

  @Field({ description: 'When.' })
  createdAt: Date;
}

/**
 * A shared assessment, plan or meeting record at one version (the latest unless asked otherwise).
 * Each kind is its own type with typed `content`.
 */
@InterfaceType('SharedRecord', {
  description: 'A shared assessment, plan or meeting record about a child, at one version.',
  resolveType: (record: { kind: RecordKind }) => RECORD_CONTENTS[record.kind].typeName,
})
export abstract class SharedRecord {
  @Sensitive(S.CASE_ADMINISTRATION, () => ID, { description: "Tandem's id for the record.", required: true })
  id: string;

  @Sensitive(S.CASE_ADMINISTRATION, () => RecordKind, { description: 'The kind of record.', required: true })
  kind: RecordKind;

  @Sensitive(S.CASE_ADMINISTRATION, () => RecordCategory, { description: 'Assessment, plan or meeting record.', required: true })
  category: RecordCategory;

  @Sensitive(S.CASE_ADMINISTRATION, () => ID, { description: 'The child the record is about.', required: true })
  childId: string;

  @Sensitive(S.CASE_ADMINISTRATION, () => Agency, { description: 'The agency that owns the record and alone may change it.' })
  owningAgency: Agency | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => Int, { description: 'The version shown here.', required: true })
  version: number;

  @Sensitive(S.CASE_ADMINISTRATION, () => Int, {
    description:
      'The latest version you may read (others than the owner read FINAL versions only); pass it as `expectedVersion` to update, finalise, withdraw or sign the record.',
    required: true,
  })
  latestVersion: number;

  @Sensitive(S.CASE_ADMINISTRATION, () => RecordStatus, {
    description:
      'How the version shown stands: DRAFT (only the owner sees drafts), FINAL, or SUPERSEDED by a later final version.',
    required: true,
  })
  status: RecordStatus;

  @Sensitive(S.CASE_ADMINISTRATION, () => RecordWithdrawal, {
    description: 'Set when the owning agency withdrew the record: when, why and by whom.',
  })
  withdrawal: RecordWithdrawal | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => RecordAuthor, { description: 'Who wrote the version shown.' })
  author: RecordAuthor | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => Date, { description: 'When the version shown was written.' })
  versionCreatedAt: Date | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => Date, { description: 'When the record was first written.' })
  createdAt: Date | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => [RecordVersionSummary], {
    description:
      "The record's history: every version you may read (drafts only for the owning agency) with its status and signatures, oldest first; read one with `record(id, version)`.",
    // Its authors are the owner's staff: where the owner is where the child is, they say so (C10).
    locates: 'owner',
  })
  versions: RecordVersionSummary[] | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => [RecordSignature], {
    description: "Other agencies' signatures of the version shown (the establishment's, for a detention placement plan).",
  })
  signatures: RecordSignature[] | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => [RecordCopy], {
    description:
      'Copies of versions sent to another agency (all of them for the owner, those sent to you otherwise), oldest first.',
  })
  copiesSent: RecordCopy[] | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => [RecordAcknowledgement], {
    description:
      "Acknowledgements of versions, with their comments (all of them for the owner, your agency's otherwise), oldest first.",
  })
  acknowledgements: RecordAcknowledgement[] | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => [WithheldField], {
    description: 'The fields of this record the policy withheld from you (they read as null), each with its reason and rule.',
    required: true,
  })
  withheld: WithheldField[];
}

export enum CareHistoryCompleteness {
  COMPLETE = 'COMPLETE',
  PARTIAL = 'PARTIAL',
  NOT_RECORDED = 'NOT_RECORDED',
}

registerEnumType(CareHistoryCompleteness, {
  name: 'CareHistoryCompleteness',
  description: 'How fully the AssetPlus care-history section is recorded (004 Rec 1).',
  valuesMap: {
    COMPLETE: { description: 'Every care-history item is recorded.' },
    PARTIAL: { description: 'Some items are recorded.' },
    NOT_RECORDED: { description: 'The section is empty.' },
  },
});

type Constructor = new () => object;

/** The concrete GraphQL type of one record kind: the common fields plus its typed `content`. */
function recordType(kind: RecordKind): Constructor {
  const { typeName, content } = RECORD_CONTENTS[kind];
  @ObjectType(typeName, { description: RECORD_KINDS[kind].description, implements: () => [SharedRecord] })
  class KindRecord extends SharedRecord {
    @SensitiveGroup(() => content, { description: 'The content of the version shown.' })
    content: object | null;
  }
  Object.defineProperty(KindRecord, 'name', { value: `${typeName}Record` });
  return KindRecord;
}

@ObjectType('AssetPlus', { description: RECORD_KINDS.ASSET_PLUS.description, implements: () => [SharedRecord] })
export class AssetPlusRecord extends SharedRecord {
  @SensitiveGroup(() => RECORD_CONTENTS.ASSET_PLUS.content, { description: 'The content of the version shown.' })
  content: object | null;

  @Sensitive(S.LEGAL_STATUS, () => CareHistoryCompleteness, {
    description: 'Whether the care-history section is complete, so gaps are visible (004 Rec 1).',
  })
  careHistoryCompleteness: CareHistoryCompleteness | null;

  @Sensitive(S.LEGAL_STATUS, () => [String], { description: 'The care-history items not recorded.' })
  careHistoryMissing: string[] | null;
}

/** The concrete GraphQL class of each record kind; a kind added without one does not compile. */
export const RECORD_TYPE_BY_KIND: Readonly<Record<RecordKind, Constructor>> = {
  ASSET_PLUS: AssetPlusRecord,
  ONSET: recordType(RecordKind.ONSET),
  SINGLE_ASSESSMENT: recordType(RecordKind.SINGLE_ASSESSMENT),
  EARLY_HELP_ASSESSMENT: recordType(RecordKind.EARLY_HELP_ASSESSMENT),
  CUSTODY_VISIT_ASSESSMENT: recordType(RecordKind.CUSTODY_VISIT_ASSESSMENT),
  CARE_PLAN: recordType(RecordKind.CARE_PLAN),
  PLACEMENT_PLAN: recordType(RecordKind.PLACEMENT_PLAN),
  DETENTION_PLACEMENT_PLAN: recordType(RecordKind.DETENTION_PLACEMENT_PLAN),
  PATHWAY_PLAN: recordType(RecordKind.PATHWAY_PLAN),
  INTERVENTION_PLAN: recordType(RecordKind.INTERVENTION_PLAN),
  RELEASE_PLAN: recordType(RecordKind.RELEASE_PLAN),
  PLANNING_MEETING_RECORD: recordType(RecordKind.PLANNING_MEETING_RECORD),
  CUSTODY_INFORMATION_PACK: recordType(RecordKind.CUSTODY_INFORMATION_PACK),
  AIM3_ASSESSMENT: recordType(RecordKind.AIM3_ASSESSMENT),
  SETTLING_IN_REPORT: recordType(RecordKind.SETTLING_IN_REPORT),
  RELEASE_CHECKLIST: recordType(RecordKind.RELEASE_CHECKLIST),
  LOOKED_AFTER_REVIEW: recordType(RecordKind.LOOKED_AFTER_REVIEW),
};

/** Every concrete record type, for the schema (they are reached only through the interface). */
export const RECORD_TYPES: readonly Function[] = Object.values(RECORD_TYPE_BY_KIND);
