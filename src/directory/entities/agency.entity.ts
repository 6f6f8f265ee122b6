import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { AgencyKind } from 'src/vocabulary/children.enums.js';
import { LocalAuthorityEntity } from 'src/directory/entities/local-authority.entity.js';

@Entity()
export class AgencyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** A short stable code, e.g. "derby-yos"; tokens name the caller's agency by it. */
  @Column({ type: 'text', unique: true })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'enum', enum: AgencyKind, enumName: 'agency_kind' })
  kind: AgencyKind;

  /** Null for agencies that serve no single authority (the secure estate). */
  @Column({ type: 'uuid', nullable: true })
  localAuthorityId: string | null;

  @ManyToOne(() => LocalAuthorityEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'local_authority_id' })
  localAuthority?: Relation<LocalAuthorityEntity>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
