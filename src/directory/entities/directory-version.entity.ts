import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** One version of a directory file, loaded from the repository; never edited in place. */
@Entity()
export class DirectoryVersionEntity {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @PrimaryColumn({ type: 'integer' })
  version: number;

  @Column({ type: 'jsonb' })
  document: Record<string, unknown>;

  /** SHA-256 of the file's canonical JSON; a changed file needs a new version. */
  @Column({ type: 'text' })
  checksum: string;

  @CreateDateColumn({ type: 'timestamptz' })
  loadedAt: Date;
}
