import { Module } from '@nestjs/common';
import { ResponsibilityPolicyRepository } from 'src/responsibility/responsibility-policy.repository.js';
import { ResponsibilityRegistry } from 'src/responsibility/responsibility-registry.service.js';

/** The protocols' responsibility rules per local authority, loaded from policy/responsibility at start. */
@Module({
  providers: [ResponsibilityPolicyRepository, ResponsibilityRegistry],
  exports: [ResponsibilityRegistry],
})
export class ResponsibilityModule {}
