import { Module } from '@nestjs/common';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { DirectoryRepository } from 'src/directory/directory.repository.js';

/** Local authorities, agencies and case systems: read by authentication, policy and the domain alike. */
@Module({
  providers: [DirectoryRepository, AgencyDirectory],
  exports: [AgencyDirectory],
})
export class DirectoryModule {}
