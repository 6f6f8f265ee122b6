import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One entry of the disclosure log: a receipt for what left the gateway (or a consultation that
 * found nothing, an alteration, an auditor's query). `body` holds the entry's canonical bytes,
 * which the hash chain covers; the other columns repeat parts of it for auditors' queries and are
 * checked against it by the verifier. Append-only: the gateway's role may only insert and select,
 * and triggers refuse updates and deletes.
 */
@Entity()
@Index('disclosure_receipt_child_idx', ['childId', 'id'])
@Index('disclosure_receipt_user_idx', ['userSubject', 'id'])
@Index('disclosure_receipt_agency_idx', ['agencyId', 'id'])
@Index('disclosure_receipt_case_system_idx', ['caseSystemId', 'id'])
@Index('disclosure_receipt_record_idx', ['recordId', 'id'])
@Index('disclosure_receipt_owner_idx', ['owningAgencyId', 'id'])
// Time ranges: a BRIN index (created by migration; TypeORM cannot declare one) costs next to
// nothing per insert on an append-only, time-ordered table, where a B-tree costs one more page write.
@Index('disclosure_receipt_recorded_at_brin', { synchronize: false })
@Index('disclosure_receipt_flagged_idx', ['id'], { where: `break_glass OR after_allocation_ended OR outcome <> 'DISCLOSED'` })
// Break-glass reads on their own: the most audited entries, too rare among the flagged ones (refusals,
// look-ups that found nothing) to find quickly there. Only break-glass receipts are indexed.
@Index('disclosure_receipt_break_glass_idx', ['id'], { where: 'break_glass' })
export class DisclosureReceiptEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ type: 'timestamptz' })
  recordedAt: Date;

  /** DISCLOSURE, CONSULTATION, ALTERATION or AUDIT_QUERY. */
  @Column({ type: 'varchar', length: 20 })
  entryKind: string;

  /** DISCLOSED, DENIED, NOT_FOUND, ALTERED or AUDITED. */
  @Column({ type: 'varchar', length: 20 })
  outcome: string;

  @Column({ type: 'varchar', length: 200 })
  userSubject: string;

  /** The recipient: the caller's agency and the case system the request came through. */
  @Column({ type: 'uuid' })
  agencyId: string;

  @Column({ type: 'uuid' })
  caseSystemId: string;

  @Column({ type: 'uuid', nullable: true })
  childId: string | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  recordKind: string | null;

  @Column({ type: 'uuid', nullable: true })
  recordId: string | null;

  @Column({ type: 'integer', nullable: true })
  recordVersion: number | null;

  @Column({ type: 'uuid', nullable: true })
  owningAgencyId: string | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  purpose: string | null;

  @Column({ type: 'boolean' })
  breakGlass: boolean;

  @Column({ type: 'boolean' })
  afterAllocationEnded: boolean;

  @Column({ type: 'varchar', length: 100 })
  correlationId: string;

  @Column({ type: 'bytea' })
  body: Buffer;
}
