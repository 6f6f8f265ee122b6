import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An out-of-borough move: the home YOS must arrange caretaking with the host YOS (DOMAIN §4.4 H7). */
@Entity()
@Index('caretaking_task_child_idx', ['childId'])
export class CaretakingTaskEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  childId: string;

  @Column({ type: 'uuid' })
  placementId: string;

  @Column({ type: 'uuid', nullable: true })
  homeAgencyId: string | null;

  @Column({ type: 'uuid' })
  hostAgencyId: string;

  /** OPEN until the host YOS is involved with the child. */
  @Column({ type: 'varchar', length: 20 })
  status: string;

  @Column({ type: 'uuid' })
  eventId: string;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
