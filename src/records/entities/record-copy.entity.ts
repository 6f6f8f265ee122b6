import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, Unique } from 'typeorm';
import { AgencyEntity } from 'src/directory/entities/agency.entity.js';
import { SharedRecordVersionEntity } from 'src/records/entities/shared-record-version.entity.js';

/**
 * A version of a record the owner sent to another agency, which then reads that version and no
 * other (RECORD_KINDS' `copiesTo`): the care plan given to the youth detention accommodation when
 * a looked-after child is remanded there (001 §6.10).
 */
@Entity()
@Unique('record_copy_once_per_recipient', ['recordId', 'version', 'recipientAgencyId'])
export class RecordCopyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  recordId: string;

  @Column({ type: 'integer' })
  version: number;

  @ManyToOne(() => SharedRecordVersionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'record_id', referencedColumnName: 'recordId' },
    { name: 'version', referencedColumnName: 'version' },
  ])
  recordVersion?: Relation<SharedRecordVersionEntity>;

  @Column({ type: 'uuid' })
  recipientAgencyId: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recipient_agency_id' })
  recipientAgency?: Relation<AgencyEntity>;

  /** Who sent it (token subject and name), for which agency. */
  @Column({ type: 'text' })
  sentBySubject: string;

  @Column({ type: 'text' })
  sentByName: string;

  @Column({ type: 'uuid' })
  sentByAgencyId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  sentAt: Date;
}
