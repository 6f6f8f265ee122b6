import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The last sequence number given to a case system's notifications (one counter per recipient). */
@Entity()
export class CaseSystemFeedEntity {
  @PrimaryColumn({ type: 'uuid' })
  caseSystemId: string;

  @Column({ type: 'bigint', default: 0 })
  lastSeq: string;
}
