import { CaseSystemFeedEntity } from 'src/notifications/entities/case-system-feed.entity.js';
import { DomainEventEntity } from 'src/events/domain-event.entity.js';
import { NotificationEntity } from 'src/notifications/entities/notification.entity.js';
import { WebhookDeliveryEntity } from 'src/notifications/entities/webhook-delivery.entity.js';
import { WebhookEndpointEntity } from 'src/notifications/entities/webhook-endpoint.entity.js';
import { AnomalyDispositionEntity } from 'src/disclosure/entities/anomaly-disposition.entity.js';
import { AuditSigningKeyEntity } from 'src/disclosure/entities/audit-signing-key.entity.js';
import { DisclosureAnomalyEntity } from 'src/disclosure/entities/disclosure-anomaly.entity.js';
import {
  AnomalyBucketChildEntity,
  AnomalyBucketEntity,
  AnomalyScanStateEntity,
} from 'src/disclosure/entities/anomaly-scan.entity.js';
import { DisclosureCheckpointEntity } from 'src/disclosure/entities/disclosure-checkpoint.entity.js';
import { AuditVerificationRunEntity } from 'src/disclosure/entities/audit-verification-run.entity.js';
import { DisclosurePendingEntity } from 'src/disclosure/entities/disclosure-pending.entity.js';
import { DisclosureReceiptEntity } from 'src/disclosure/entities/disclosure-receipt.entity.js';
import { DisclosureRetentionEntity } from 'src/disclosure/entities/disclosure-retention.entity.js';
import { DisclosureSealEntity } from 'src/disclosure/entities/disclosure-seal.entity.js';
import { AgencyEntity } from 'src/directory/entities/agency.entity.js';
import { AgencyInvolvementEntity } from 'src/children/entities/agency-involvement.entity.js';
import { CaseSystemEntity } from 'src/directory/entities/case-system.entity.js';
import { DirectoryChangeEntity } from 'src/directory/entities/directory-change.entity.js';
import { DirectoryVersionEntity } from 'src/directory/entities/directory-version.entity.js';
import { TeamEntity } from 'src/directory/entities/team.entity.js';
import { ChildEntity } from 'src/children/entities/child.entity.js';
import { ChildIdentifierEntity } from 'src/children/entities/child-identifier.entity.js';
import { ChildReferralEntity } from 'src/children/entities/child-referral.entity.js';
import { ChildMergeEntity } from 'src/children/entities/child-merge.entity.js';
import { LegalStatusEpisodeEntity } from 'src/children/entities/legal-status-episode.entity.js';
import { LocalAuthorityEntity } from 'src/directory/entities/local-authority.entity.js';
import { PlacementEntity } from 'src/children/entities/placement.entity.js';
import { PractitionerEntity } from 'src/directory/entities/practitioner.entity.js';
import { WorkerAllocationEntity } from 'src/children/entities/worker-allocation.entity.js';
import { BreakGlassAccessEntity } from 'src/policy/entities/break-glass-access.entity.js';
import { ChildRestrictionEntity } from 'src/policy-api/child-restriction.entity.js';
import { PractitionerAlertEntity } from 'src/policy/entities/practitioner-alert.entity.js';
import { SharingAgreementChangeEntity } from 'src/policy/entities/sharing-agreement-change.entity.js';
import { SharingAgreementEntity } from 'src/policy/entities/sharing-agreement.entity.js';
import { RecordCopyEntity } from 'src/records/entities/record-copy.entity.js';
import { RecordSignatureEntity } from 'src/records/entities/record-signature.entity.js';
import { VisitEntity } from 'src/visits/entities/visit.entity.js';
import { ObligationEntity } from 'src/obligations/entities/obligation.entity.js';
import { ObligationTransitionEntity } from 'src/obligations/entities/obligation-transition.entity.js';
import { ResponsibilityPolicyChangeEntity } from 'src/responsibility/entities/responsibility-policy-change.entity.js';
import { ResponsibilityPolicyEntity } from 'src/responsibility/entities/responsibility-policy.entity.js';
import { RecordAcknowledgementEntity } from 'src/records/entities/record-acknowledgement.entity.js';
import { SharedRecordEntity } from 'src/records/entities/shared-record.entity.js';
import { SharedRecordVersionEntity } from 'src/records/entities/shared-record-version.entity.js';
import { DisclosurePermissionEntity } from 'src/records/entities/disclosure-permission.entity.js';

/** Every entity, for the one DataSource definition. */
export const ENTITIES = [
  LocalAuthorityEntity,
  AgencyEntity,
  TeamEntity,
  CaseSystemEntity,
  PractitionerEntity,
  DirectoryVersionEntity,
  DirectoryChangeEntity,
  ChildEntity,
  ChildIdentifierEntity,
  AgencyInvolvementEntity,
  ChildReferralEntity,
  ChildMergeEntity,
  WorkerAllocationEntity,
  LegalStatusEpisodeEntity,
  PlacementEntity,
  SharedRecordEntity,
  SharedRecordVersionEntity,
  DisclosurePermissionEntity,
  ChildRestrictionEntity,
  SharingAgreementEntity,
  SharingAgreementChangeEntity,
  ResponsibilityPolicyEntity,
  RecordSignatureEntity,
  RecordCopyEntity,
  VisitEntity,
  ObligationEntity,
  ObligationTransitionEntity,
  ResponsibilityPolicyChangeEntity,
  BreakGlassAccessEntity,
  PractitionerAlertEntity,
  RecordAcknowledgementEntity,
  DisclosureReceiptEntity,
  DisclosurePendingEntity,
  DisclosureSealEntity,
  DisclosureCheckpointEntity,
  AuditVerificationRunEntity,
  AuditSigningKeyEntity,
  DisclosureRetentionEntity,
  DisclosureAnomalyEntity,
  AnomalyDispositionEntity,
  AnomalyScanStateEntity,
  AnomalyBucketEntity,
  AnomalyBucketChildEntity,
  DomainEventEntity,
  CaseSystemFeedEntity,
  NotificationEntity,
  WebhookEndpointEntity,
  WebhookDeliveryEntity,
];

/**
 * Tables that no one may update or delete from (privileges and triggers): the disclosure log,
 * its chain and checkpoints. Test resets leave them alone.
 */
export const APPEND_ONLY_ENTITIES: readonly Function[] = [
  DisclosureReceiptEntity,
  DisclosureSealEntity,
  DisclosureCheckpointEntity,
  AuditSigningKeyEntity,
  DisclosureRetentionEntity,
  AnomalyDispositionEntity,
];

/** The whole disclosure log, which test resets leave alone so its chain runs across the run. */
export const DISCLOSURE_LOG_ENTITIES: readonly Function[] = [
  ...APPEND_ONLY_ENTITIES,
  DisclosurePendingEntity,
  DisclosureAnomalyEntity,
  AnomalyScanStateEntity,
  AnomalyBucketEntity,
  AnomalyBucketChildEntity,
];
