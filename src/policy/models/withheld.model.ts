import { Field, ObjectType } from '@nestjs/graphql';
import { SensitivityClass } from 'src/vocabulary/sensitivity/sensitivity-class.js';

@ObjectType({ description: 'A field the policy withheld from this response (it reads as null), and why.' })
export class WithheldField {
  @Field({ description: 'The path of the field, e.g. "content.healthArrangements".' })
  field: string;

  @Field(() => SensitivityClass, { description: 'The sensitivity class of the field.' })
  sensitivityClass: SensitivityClass;

  @Field({ description: 'Why it was withheld, in words.' })
  reason: string;

  @Field({ description: 'The rule that decided: an agreement clause, a restriction (C1, C10, …) or DEFAULT-DENY.' })
  rule: string;
}
