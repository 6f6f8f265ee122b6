import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, Unique } from 'typeorm';
import { AgencyEntity } from 'src/directory/entities/agency.entity.js';
import { SharedRecordVersionEntity } from 'src/records/entities/shared-record-version.entity.js';

/** What the signer decided: agreed, or (a release plan, 003 §8.3) not agreed, with a reason. */
export enum SignatureDecision {
  AGREED = 'AGREED',
  NOT_AGREED = 'NOT_AGREED',
}

/**
 * Another agency's signature of one version of a record: the secure establishment's governor,
 * director or registered manager agreeing the detention placement plan (001 §6.11, App.2), the CSC
 * operations manager agreeing or not agreeing the release plan (003 §8.3). The signer does not
 * author a version: the plan's content is the owner's alone.
 */
@Entity()
@Unique('record_signature_once_per_agency', ['recordId', 'version', 'signerAgencyId'])
export class RecordSignatureEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  recordId: string;

  @Column({ type: 'integer' })
  version: number;

  /** The version signed, which must exist. */
  @ManyToOne(() => SharedRecordVersionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'record_id', referencedColumnName: 'recordId' },
    { name: 'version', referencedColumnName: 'version' },
  ])
  recordVersion?: Relation<SharedRecordVersionEntity>;

  /** The signer's token subject, name and the role they signed in. */
  @Column({ type: 'text' })
  signerSubject: string;

  @Column({ type: 'text' })
  signerName: string;

  @Column({ type: 'text' })
  signerRole: string;

  /** The establishment they signed for. */
  @Column({ type: 'uuid' })
  signerAgencyId: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'signer_agency_id' })
  signerAgency?: Relation<AgencyEntity>;

  @Column({ type: 'enum', enum: SignatureDecision, enumName: 'record_signature_decision', default: SignatureDecision.AGREED })
  decision: SignatureDecision;

  /** Why it was not agreed (required then); null for an agreement. */
  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  signedAt: Date;
}
