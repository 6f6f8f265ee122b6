import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PageInfo } from 'src/common/pagination/connection.js';
import { Child, LegalStatusEpisode, Placement } from 'src/children/models/child.model.js';
import { SharedRecord } from 'src/records/models/shared-record.model.js';

/** What a change in the feed is about. */
export enum ChangeKind {
  CHILD = 'CHILD',
  RECORD = 'RECORD',
  PLACEMENT = 'PLACEMENT',
  LEGAL_STATUS = 'LEGAL_STATUS',
}

registerEnumType(ChangeKind, {
  name: 'ChangeKind',
  description: 'What a change in the change feed is about.',
  valuesMap: {
    CHILD: {
      description:
        "The child's own details: a merge of two records of one child, or what Tandem derives (looked-after status, lead professional).",
    },
    RECORD: { description: 'A new version of a shared record.' },
    PLACEMENT: { description: 'A placement planned, corrected, cancelled, made or confirmed.' },
    LEGAL_STATUS: { description: 'A legal-status episode recorded.' },
  },
});

/**
 * One change a case system may see, as its policy projects it. The child, record, placement and
 * legal-status values are the policy's disclosed values, so each gets a receipt like any read;
 * this wrapper carries no child data of its own.
 */
@ObjectType({ description: 'One change to child data your case system may see, in commit order, as your policy shows it.' })
export class Change {
  @Field({ description: 'Its position in the feed: pass the last one you kept as `after` to resume.' })
  position: string;

  @Field(() => ChangeKind, { description: 'What changed.' })
  kind: ChangeKind;

  @Field({ description: 'The protocol event the change raised (for example RECORD_PUBLISHED, PLACEMENT_CHANGED).' })
  eventType: string;

  @Field(() => ID, { description: "The event's id (the same as a notification's `eventId`): drop duplicates by it." })
  eventId: string;

  @Field({ description: 'When the change was made.' })
  occurredAt: Date;

  @Field(() => Child, { description: 'The child, as you may see them now.' })
  child: Child;

  @Field(() => SharedRecord, { nullable: true, description: 'For RECORD: the record at the version the change published.' })
  record: SharedRecord | null;

  @Field(() => Placement, { nullable: true, description: 'For PLACEMENT: the placement as the change committed it.' })
  placement: Placement | null;

  @Field(() => LegalStatusEpisode, {
    nullable: true,
    description: 'For LEGAL_STATUS: the episode as the change committed it.',
  })
  legalStatus: LegalStatusEpisode | null;
}

@ObjectType({ description: 'One change in a page of the feed, with its position.' })
export class ChangeEdge {
  @Field({ description: 'The change’s position (the same as `node.position`).' })
  cursor: string;

  @Field(() => Change, { description: 'The change.' })
  node: Change;
}

@ObjectType({
  description:
    'A page of the change feed. `pageInfo.endCursor` is where to resume even when the page holds no change you may see (the feed moved past changes you may not see); it is never null.',
})
export class ChangeConnection {
  @Field(() => [ChangeEdge], { description: 'The changes of this page, in commit order.' })
  edges: ChangeEdge[];

  @Field(() => PageInfo, { description: 'Where this page ends, and whether more changes are already committed.' })
  pageInfo: PageInfo;
}
