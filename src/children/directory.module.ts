import { Module } from '@nestjs/common';
import { AgencyDirectory } from 'src/children/agency-directory.service.js';
import { DirectoryRepository } from 'src/children/repositories/directory.repository.js';

/** Local authorities, agencies and case systems: read by authentication, policy and the domain alike. */
@Module({
  providers: [DirectoryRepository, AgencyDirectory],
  exports: [AgencyDirectory],
})
export class DirectoryModule {}
