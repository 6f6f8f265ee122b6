import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The audit trail of directory changes: which file version was loaded, from what, by whom, when. */
@Entity()
export class DirectoryChangeEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  directoryId: string;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'text' })
  checksum: string;

  @Column({ type: 'text' })
  action: string;

  @Column({ type: 'text' })
  actor: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;
}
