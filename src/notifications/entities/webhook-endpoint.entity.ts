import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A URL a case system registered to receive its notifications, signed with its secret(s). */
@Entity()
@Index('webhook_endpoint_case_system_idx', ['caseSystemId'])
export class WebhookEndpointEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  caseSystemId: string;

  @Column({ type: 'uuid' })
  agencyId: string;

  @Column({ type: 'text' })
  url: string;

  /** Event types delivered here; empty means all. */
  @Column({ type: 'text', array: true })
  eventTypes: string[];

  /** `whsec_` + base64 of the HMAC key (Standard Webhooks). */
  @Column({ type: 'text' })
  secret: string;

  /** After a rotation, the old secret also signs until it expires, so receivers can switch over. */
  @Column({ type: 'text', nullable: true })
  previousSecret: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  previousSecretExpiresAt: Date | null;

  /** ACTIVE or DISABLED. */
  @Column({ type: 'varchar', length: 20 })
  status: string;

  @Column({ type: 'text', nullable: true })
  disabledReason: string | null;

  @Column({ type: 'integer', default: 0 })
  consecutiveGone: number;

  /** One instance at a time delivers to an endpoint, in sequence order, while it holds the lease. */
  @Column({ type: 'timestamptz', nullable: true })
  leaseUntil: Date | null;

  /** Who holds the lease: renewing and releasing it need the token, so a stalled holder cannot. */
  @Column({ type: 'uuid', nullable: true })
  leaseToken: string | null;

  @Column({ type: 'varchar', length: 200 })
  createdBySubject: string;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
