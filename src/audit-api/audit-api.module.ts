import { Module } from '@nestjs/common';
import { DirectoryModule } from 'src/directory/directory.module.js';
import { DisclosureModule } from 'src/disclosure/disclosure.module.js';
import { AnomalyRepository } from 'src/audit-api/anomaly.repository.js';
import { AnomalyScanRepository } from 'src/audit-api/anomaly-scan.repository.js';
import { AnomalySchedule } from 'src/audit-api/anomaly-schedule.js';
import { AnomalyService } from 'src/audit-api/anomaly.service.js';
import { AuditLogService } from 'src/audit-api/audit-log.service.js';
import { AuditRepository } from 'src/audit-api/audit.repository.js';
import { AuditResolver } from 'src/audit-api/audit.resolver.js';
import { AuditIntegrityResolver } from 'src/audit-api/audit-integrity.resolver.js';
import { AuditLookupResolver } from 'src/audit-api/audit-lookup.resolver.js';
import { AuditLookupService } from 'src/audit-api/audit-lookup.service.js';
import { AuditVerificationService } from 'src/audit-api/audit-verification.service.js';
import { SubjectAccessService } from 'src/audit-api/subject-access.service.js';

@Module({
  imports: [DirectoryModule, DisclosureModule],
  providers: [
    AuditRepository,
    AuditLookupService,
    AuditLookupResolver,
    AnomalyRepository,
    AnomalyScanRepository,
    AuditLogService,
    SubjectAccessService,
    AnomalyService,
    AuditVerificationService,
    AuditResolver,
    AuditIntegrityResolver,
    AnomalySchedule,
  ],
})
export class AuditApiModule {}
