import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { AgencyEntity } from 'src/directory/entities/agency.entity.js';

/** A case-management system an agency connects to Tandem with (e.g. a CSC or YOS case system). */
@Entity()
export class CaseSystemEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** A short stable code, e.g. "derby-csc-case"; tokens name the calling system by it. */
  @Column({ type: 'text', unique: true })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'uuid' })
  agencyId: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agency_id' })
  agency?: Relation<AgencyEntity>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
