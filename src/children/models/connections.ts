import { ObjectType } from '@nestjs/graphql';
import { Connection } from 'src/common/pagination/connection.js';
import { Child, Placement } from 'src/children/models/child.model.js';

@ObjectType('ChildConnection', { description: 'A page of children.' })
export class ChildConnection extends Connection(Child, 'ChildList', 'child') {}

@ObjectType('PlacementConnection', { description: 'A page of placements, newest first.' })
export class PlacementConnection extends Connection(Placement, 'PlacementList', 'placement') {}
