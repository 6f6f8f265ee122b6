import { CreateCoreSchema1795531288562 } from './1795531288562-CreateCoreSchema.js';
import { AddAccessPolicy1795532938185 } from './1795532938185-AddAccessPolicy.js';
import { AddRecordAcknowledgement1795535369051 } from './1795535369051-AddRecordAcknowledgement.js';
import { AddChildAccessFunction1795535400000 } from './1795535400000-AddChildAccessFunction.js';
import { AddAllocationEndedToChildAccess1795540000000 } from './1795540000000-AddAllocationEndedToChildAccess.js';
import { AddDisclosureLog1796157357704 } from './1796157357704-AddDisclosureLog.js';
import { MakeDisclosureLogAppendOnly1796157357705 } from './1796157357705-MakeDisclosureLogAppendOnly.js';
import { AddNotifications1796159114262 } from './1796159114262-AddNotifications.js';
import { UseBrinForReceiptTimes1796170000000 } from './1796170000000-UseBrinForReceiptTimes.js';
import { KeepReceiptsInline1796170000001 } from './1796170000001-KeepReceiptsInline.js';
import { AddWebhookLeaseToken1796170000002 } from './1796170000002-AddWebhookLeaseToken.js';
import { ConfineRetentionToItsRole1796171000000 } from './1796171000000-ConfineRetentionToItsRole.js';
import { LimitEmergencyAccess1796180000000 } from './1796180000000-LimitEmergencyAccess.js';
import { AddChildReferrals1796180000001 } from './1796180000001-AddChildReferrals.js';
import { AddDisclosurePermissions1796180000002 } from './1796180000002-AddDisclosurePermissions.js';
import { AddChildIdentityAndMerges1796195000000 } from './1796195000000-AddChildIdentityAndMerges.js';
import { AddDirectoryData1796200000000 } from './1796200000000-AddDirectoryData.js';
import { LegalStatusDimensionsAndNotices1796210000000 } from './1796210000000-LegalStatusDimensionsAndNotices.js';
import { AddVisitsAndRecordLifecycle1796220000000 } from './1796220000000-AddVisitsAndRecordLifecycle.js';
import { AddObligations1796230000000 } from './1796230000000-AddObligations.js';
import { ReleasePlanDecisionAndChecklist1796235000000 } from './1796235000000-ReleasePlanDecisionAndChecklist.js';
import { AddAuditVerificationRuns1796240000000 } from './1796240000000-AddAuditVerificationRuns.js';
import { AddIncrementalAnomalyScan1796250000000 } from './1796250000000-AddIncrementalAnomalyScan.js';
import { AddBreakGlassIndex1796260000000 } from './1796260000000-AddBreakGlassIndex.js';
import { ChildAccessInOnePass1796270000000 } from './1796270000000-ChildAccessInOnePass.js';
import { AddCompactResponseLog1796280000000 } from './1796280000000-AddCompactResponseLog.js';
import { ReadCompactEntriesAsRows1796290000000 } from './1796290000000-ReadCompactEntriesAsRows.js';
import { RetainWholeMonths1796300000000 } from './1796300000000-RetainWholeMonths.js';
import { LetTheGatewayTakeQueuedResponses1796310000000 } from './1796310000000-LetTheGatewayTakeQueuedResponses.js';
import { AllocatedOnlyAtTheCallersAgency1796320000000 } from './1796320000000-AllocatedOnlyAtTheCallersAgency.js';
import { ListRecordsByWhatReadersMayKnow1796436002519 } from './1796436002519-ListRecordsByWhatReadersMayKnow.js';
import { CheckpointsSignedWhenWritten1796440000000 } from './1796440000000-CheckpointsSignedWhenWritten.js';
import { KeepAnomalyFlagsFromTheGateway1796450000000 } from './1796450000000-KeepAnomalyFlagsFromTheGateway.js';
import { KeepRetentionRecordsFromTheGateway1796460000000 } from './1796460000000-KeepRetentionRecordsFromTheGateway.js';

/** Every migration in order; `npm run migration:generate` rewrites this list. */
export const MIGRATIONS: Function[] = [
  CreateCoreSchema1795531288562,
  AddAccessPolicy1795532938185,
  AddRecordAcknowledgement1795535369051,
  AddChildAccessFunction1795535400000,
  AddAllocationEndedToChildAccess1795540000000,
  AddDisclosureLog1796157357704,
  MakeDisclosureLogAppendOnly1796157357705,
  AddNotifications1796159114262,
  UseBrinForReceiptTimes1796170000000,
  KeepReceiptsInline1796170000001,
  AddWebhookLeaseToken1796170000002,
  ConfineRetentionToItsRole1796171000000,
  LimitEmergencyAccess1796180000000,
  AddChildReferrals1796180000001,
  AddDisclosurePermissions1796180000002,
  AddChildIdentityAndMerges1796195000000,
  AddDirectoryData1796200000000,
  LegalStatusDimensionsAndNotices1796210000000,
  AddVisitsAndRecordLifecycle1796220000000,
  AddObligations1796230000000,
  ReleasePlanDecisionAndChecklist1796235000000,
  AddAuditVerificationRuns1796240000000,
  AddIncrementalAnomalyScan1796250000000,
  AddBreakGlassIndex1796260000000,
  ChildAccessInOnePass1796270000000,
  AddCompactResponseLog1796280000000,
  ReadCompactEntriesAsRows1796290000000,
  RetainWholeMonths1796300000000,
  LetTheGatewayTakeQueuedResponses1796310000000,
  AllocatedOnlyAtTheCallersAgency1796320000000,
  ListRecordsByWhatReadersMayKnow1796436002519,
  CheckpointsSignedWhenWritten1796440000000,
  KeepAnomalyFlagsFromTheGateway1796450000000,
  KeepRetentionRecordsFromTheGateway1796460000000,
];
