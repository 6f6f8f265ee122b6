import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { CaseSystemEntity } from 'src/directory/entities/case-system.entity.js';
import { ChildEntity } from 'src/children/entities/child.entity.js';

/** The child's reference in one case system, so both services resolve the same child. */
@Entity()
@Index(['caseSystemId', 'value'], { unique: true })
@Index(['childId', 'caseSystemId'], { unique: true })
export class ChildIdentifierEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  childId: string;

  @ManyToOne(() => ChildEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'child_id' })
  child?: Relation<ChildEntity>;

  @Column({ type: 'uuid' })
  caseSystemId: string;

  @ManyToOne(() => CaseSystemEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_system_id' })
  caseSystem?: Relation<CaseSystemEntity>;

  @Column({ type: 'text' })
  value: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
