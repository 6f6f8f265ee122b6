import { ChildRecordsResolver } from 'src/records/resolvers/child-records.resolver.js';
import { RecordLifecycleResolver } from 'src/records/resolvers/record-lifecycle.resolver.js';
import { RecordResolver, RecordVersionResolver } from 'src/records/resolvers/record.resolver.js';

export const RECORDS_RESOLVERS = [RecordResolver, RecordVersionResolver, RecordLifecycleResolver, ChildRecordsResolver];
