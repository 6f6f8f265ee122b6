import { ChildRecordsResolver } from 'src/records/resolvers/child-records.resolver.js';
import { RecordResolver } from 'src/records/resolvers/record.resolver.js';

export const RECORDS_RESOLVERS = [RecordResolver, ChildRecordsResolver];
