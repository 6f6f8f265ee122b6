import { ObjectType } from '@nestjs/graphql';
import { Connection } from 'src/common/pagination/connection.js';
import { SharedRecord } from 'src/records/models/shared-record.model.js';

@ObjectType('RecordConnection', { description: 'A page of shared records, most recently updated first.' })
export class RecordConnection extends Connection(SharedRecord, 'RecordList', 'record') {}
