import { Inject } from '@nestjs/common';
import { Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from 'src/auth/current-principal.decorator.js';
import { RequirePermission } from 'src/auth/permission.decorator.js';
import type { Principal } from 'src/auth/principal.js';
import { Permission } from 'src/auth/roles.js';
import { AuditVerificationService } from 'src/audit-api/audit-verification.service.js';
import { AuditSigningKey, AuditVerificationRun } from 'src/audit-api/verification.models.js';

/** The log's integrity, for auditors: verification runs and the checkpoint-signing key. */
@Resolver()
export class AuditIntegrityResolver {
  constructor(@Inject(AuditVerificationService) private readonly verification: AuditVerificationService) {}

  @Mutation(() => AuditVerificationRun, {
    description:
      'Auditors: verifies the whole disclosure log on the server, in the background (as `npm run audit:verify`); returns the run, or the one already running. Poll auditVerification.',
  })
  @RequirePermission(Permission.AUDIT_DISPOSE)
  startAuditVerification(@CurrentPrincipal() principal: Principal): Promise<AuditVerificationRun> {
    return this.verification.start(principal);
  }

  @Query(() => AuditVerificationRun, {
    nullable: true,
    description:
      'Auditors: the latest verification of the log, running or finished, whoever started it (the API or `audit:verify`); null before the first.',
  })
  @RequirePermission(Permission.AUDIT_READ)
  auditVerification(@CurrentPrincipal() principal: Principal): Promise<AuditVerificationRun | null> {
    return this.verification.latest(principal);
  }

  @Query(() => AuditSigningKey, {
    description: 'Auditors: the public key that signs the checkpoints (as `npm run audit:public-key` prints it).',
  })
  @RequirePermission(Permission.AUDIT_READ)
  auditPublicKey(@CurrentPrincipal() principal: Principal): AuditSigningKey {
    return this.verification.publicKey(principal);
  }
}
