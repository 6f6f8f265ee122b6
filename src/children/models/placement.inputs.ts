import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { LocalDateScalar } from 'src/common/scalars/local-date.scalar.js';
import { PlacementType } from 'src/vocabulary/children.enums.js';

@InputType({ description: 'Calls off a planned move before it takes effect; everyone told of the plan is told.' })
export class CancelPlannedPlacementInput {
  @Field(() => ID, { description: 'The planned placement.' })
  placementId: string;

  @Field(() => Int, { description: 'The placement version you read; a stale version is refused with CONFLICT.' })
  expectedVersion: number;

  @Field({ description: 'Why the move is called off.' })
  reason: string;
}

@InputType({
  description:
    'Corrects a planned move (its date, address, …) before it takes effect. Everyone told of the plan is told again: a PLACEMENT_CHANGE_PLANNED with the same placement id and a higher version. Omit a field to keep it.',
})
export class CorrectPlannedPlacementInput {
  @Field(() => ID, { description: 'The planned placement.' })
  placementId: string;

  @Field(() => Int, { description: 'The placement version you read; a stale version is refused with CONFLICT.' })
  expectedVersion: number;

  @Field(() => LocalDateScalar, { nullable: true, description: 'The corrected date the move is planned for.' })
  plannedDate?: string | null;

  @Field(() => PlacementType, { nullable: true, description: 'The corrected kind of placement.' })
  placementType?: PlacementType | null;

  @Field(() => String, { nullable: true, description: 'The corrected carer, home or establishment name.' })
  placementName?: string | null;

  @Field(() => String, { nullable: true, description: 'The corrected address.' })
  address?: string | null;

  @Field(() => String, { nullable: true, description: 'The corrected postcode.' })
  postcode?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Code of the local authority area the corrected address is in, e.g. "derby".',
  })
  areaLocalAuthority?: string | null;

  @Field(() => String, { nullable: true, description: 'The corrected reason for the move.' })
  reason?: string | null;
}
