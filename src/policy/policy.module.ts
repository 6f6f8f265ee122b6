import { Module } from '@nestjs/common';
import { DirectoryModule } from 'src/directory/directory.module.js';
import { AbilityFactory } from 'src/policy/ability.factory.js';
import { AccessRepository } from 'src/policy/access.repository.js';
import { AgreementRegistry } from 'src/policy/agreements/agreement-registry.service.js';
import { AgreementRepository } from 'src/policy/agreements/agreement.repository.js';
import { Discloser } from 'src/policy/discloser.service.js';
import { PolicyService } from 'src/policy/policy.service.js';
import { ReferralPolicy } from 'src/policy/referral-policy.js';

@Module({
  imports: [DirectoryModule],
  providers: [AgreementRepository, AgreementRegistry, AbilityFactory, AccessRepository, PolicyService, ReferralPolicy, Discloser],
  exports: [PolicyService, ReferralPolicy, Discloser, AgreementRegistry],
})
export class PolicyModule {}
