import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An auditor's recorded disposition of an anomaly; a later one supersedes, none is changed. Append-only. */
@Entity()
@Index('anomaly_disposition_anomaly_idx', ['anomalyId', 'recordedAt'])
export class AnomalyDispositionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  anomalyId: string;

  /** JUSTIFIED, NO_FURTHER_ACTION, REFERRED or BREACH. */
  @Column({ type: 'varchar', length: 30 })
  disposition: string;

  @Column({ type: 'text' })
  note: string;

  @Column({ type: 'varchar', length: 200 })
  auditorSubject: string;

  @Column({ type: 'text' })
  auditorName: string;

  @Column({ type: 'timestamptz' })
  recordedAt: Date;
}
