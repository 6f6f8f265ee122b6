import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Connection } from 'src/common/pagination/connection.js';

@ObjectType({
  description:
    'Something you must be told about a child you are allocated to: today, that someone read the child under emergency (break-glass) access.',
})
export class PractitionerAlert {
  @Field(() => ID, { description: "Tandem's id for the alert." })
  id: string;

  @Field({ description: 'What happened: BREAK_GLASS for an emergency read.' })
  kind: string;

  @Field(() => ID, { description: 'The child.' })
  childId: string;

  @Field({ description: 'Who read the child, for which agency, for what reason and with what justification.' })
  message: string;

  @Field({ description: 'When.' })
  createdAt: Date;
}

@ObjectType('PractitionerAlertConnection', { description: 'A page of your alerts, newest first.' })
export class PractitionerAlertConnection extends Connection(PractitionerAlert, 'PractitionerAlertList', 'alert') {}
