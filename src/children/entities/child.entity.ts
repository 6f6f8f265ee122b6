import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { RecordedSex } from 'src/identity/child-description.js';

/** A previous or alternative name, as stored in `child.other_names`. */
export interface StoredChildName {
  readonly givenNames: string | null;
  readonly familyName: string | null;
}

/**
 * A child; looked up by id, case reference, or name and date of birth, and matched by date of birth
 * (and its keying slips) or a national identifier, hence those indexes. Identifiers are stored
 * normalised (the identity module's validators' values), so equal identifiers are equal strings.
 */
@Entity()
@Index(['dateOfBirth'])
@Index('child_nhs_number', ['nhsNumber'], { where: '"nhs_number" IS NOT NULL' })
@Index('child_pnc_id', ['pncId'], { where: '"pnc_id" IS NOT NULL' })
@Index('child_upn', ['upn'], { where: '"upn" IS NOT NULL' })
@Index('child_merged_into', ['mergedIntoId'], { where: '"merged_into_id" IS NOT NULL' })
export class ChildEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  givenName: string;

  @Column({ type: 'text' })
  familyName: string;

  @Column({ type: 'date' })
  dateOfBirth: string;

  /** Sex or gender as the registering agency's system records it. */
  @Column({ type: 'enum', enum: RecordedSex, enumName: 'recorded_sex', nullable: true })
  sex: RecordedSex | null;

  /** Previous and alternative names (birth or pre-adoption names, aliases). */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  otherNames: StoredChildName[];

  /** Ten digits, check digit verified. */
  @Column({ type: 'text', nullable: true })
  nhsNumber: string | null;

  /** Short form with the serial padded (01/0171310W), check character verified. */
  @Column({ type: 'text', nullable: true })
  pncId: string | null;

  /** Thirteen characters, upper case, check letter verified. */
  @Column({ type: 'text', nullable: true })
  upn: string | null;

  /**
   * The agency that last recorded the national identifiers: their owner for the policy, as a
   * placement's is the agency that recorded it (its related staff see them; others as agreed).
   */
  @Column({ type: 'uuid', nullable: true })
  identifiersAgencyId: string | null;

  /**
   * Set when a merge folded this child into another: the id then resolves to that child, and
   * nothing new hangs off this one until an unmerge clears it.
   */
  @Column({ type: 'uuid', nullable: true })
  mergedIntoId: string | null;

  /** Optimistic concurrency for edits to the child's details. */
  @VersionColumn()
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
