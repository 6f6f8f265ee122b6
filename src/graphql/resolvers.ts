import { DirectoryResolver } from 'src/auth/directory.resolver.js';
import { CHILDREN_RESOLVERS } from 'src/children/resolvers/index.js';
import { PolicyResolver } from 'src/policy-api/policy.resolver.js';
import { RECORDS_RESOLVERS } from 'src/records/resolvers/index.js';
import { VISITS_RESOLVERS } from 'src/visits/resolvers/index.js';
import { ObligationsResolver } from 'src/obligations/obligations.resolver.js';
import { AuditResolver } from 'src/audit-api/audit.resolver.js';
import { AuditIntegrityResolver } from 'src/audit-api/audit-integrity.resolver.js';
import { AuditLookupResolver } from 'src/audit-api/audit-lookup.resolver.js';
import { NotificationsResolver } from 'src/notifications/api/notifications.resolver.js';
import { NotificationSubscriptionResolver } from 'src/notifications/subscriptions/notification-subscription.resolver.js';
import { SyncResolver } from 'src/sync/sync.resolver.js';

/** Every GraphQL resolver class, for the schema printer and the permission test. */
export const ALL_RESOLVERS: readonly Function[] = [
  DirectoryResolver,
  ...CHILDREN_RESOLVERS,
  ...RECORDS_RESOLVERS,
  ...VISITS_RESOLVERS,
  ObligationsResolver,
  PolicyResolver,
  AuditResolver,
  AuditIntegrityResolver,
  AuditLookupResolver,
  NotificationsResolver,
  NotificationSubscriptionResolver,
  SyncResolver,
];
