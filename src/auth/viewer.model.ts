import { Field, ObjectType } from '@nestjs/graphql';
import { Role } from 'src/auth/roles.js';
import { Agency } from 'src/directory/directory.model.js';

@ObjectType({ description: 'The authenticated caller, as Tandem understands their token.' })
export class Viewer {
  @Field({ description: 'The token subject (user or system id).' })
  subject: string;

  @Field({ description: "The caller's display name." })
  name: string;

  @Field(() => Agency, { description: 'The agency the caller acts for.' })
  agency: Agency;

  @Field({ description: 'The code of the case system the call comes through.' })
  caseSystem: string;

  @Field(() => [Role], { description: "The caller's roles." })
  roles: Role[];
}
