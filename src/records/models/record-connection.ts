import { ObjectType } from '@nestjs/graphql';
import { Connection } from 'src/common/pagination/connection.js';
import { SharedRecord } from 'src/records/models/shared-record.model.js';

@ObjectType('RecordConnection', {
  description:
    "A page of shared records, most recently changed first: your agency's by their last save, another agency's by their last FINAL version or withdrawal (its drafts are its own).",
})
export class RecordConnection extends Connection(SharedRecord, 'RecordList', 'record') {}
