import { ObjectType } from '@nestjs/graphql';
import { Connection } from 'src/common/pagination/connection.js';
import { DisclosureAnomaly } from 'src/audit-api/audit.models.js';

@ObjectType('AnomalyConnection', { description: 'A page of anomalies, newest first.' })
export class AnomalyConnection extends Connection(DisclosureAnomaly, 'AnomalyList', 'anomaly') {}
