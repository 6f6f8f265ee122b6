import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** One version of a local authority's responsibility policy, loaded from its reviewed file; never edited in place. */
@Entity()
export class ResponsibilityPolicyEntity {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @PrimaryColumn({ type: 'integer' })
  version: number;

  /** The directory code of the authority the rules are for. */
  @Column({ type: 'text' })
  localAuthority: string;

  @Column({ type: 'jsonb' })
  document: Record<string, unknown>;

  /** SHA-256 of the file's canonical JSON; a changed file needs a new version. */
  @Column({ type: 'text' })
  checksum: string;

  @CreateDateColumn({ type: 'timestamptz' })
  loadedAt: Date;
}
