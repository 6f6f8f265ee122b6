import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { SharedRecordEntity } from 'src/records/entities/shared-record.entity.js';
import { DisclosurePermissionKind } from 'src/vocabulary/disclosure-permission-kind.js';

/**
 * A court order, consent (C1) or third-party permission (C2) recorded on a record: each has its own
 * id, so a disclosure that relied on it names it in its receipt and an auditor can trace it.
 */
@Entity()
@Index(['recordId', 'recordedAt'])
export class DisclosurePermissionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  recordId: string;

  @ManyToOne(() => SharedRecordEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'record_id' })
  record?: Relation<SharedRecordEntity>;

  @Column({ type: 'enum', enum: DisclosurePermissionKind, enumName: 'disclosure_permission_kind' })
  kind: DisclosurePermissionKind;

  /** The order number, consent form or letter. */
  @Column({ type: 'text' })
  reference: string;

  /** Who recorded it (token subject), for which agency. */
  @Column({ type: 'text' })
  recordedBy: string;

  @Column({ type: 'uuid' })
  recordedByAgencyId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  recordedAt: Date;
}
