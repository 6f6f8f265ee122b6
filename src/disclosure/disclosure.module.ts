import { Module } from '@nestjs/common';
import { PolicyModule } from 'src/policy/policy.module.js';
import { DisclosureRepository } from 'src/disclosure/disclosure.repository.js';
import { DisclosureService } from 'src/disclosure/disclosure.service.js';

/** The disclosure log's writer, used by every module that lets child data out or changes it. */
@Module({
  imports: [PolicyModule],
  providers: [DisclosureRepository, DisclosureService],
  exports: [DisclosureService],
})
export class DisclosureModule {}
