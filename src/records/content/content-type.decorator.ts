import { InputType, ObjectType } from '@nestjs/graphql';

/**
 * A record-content class serves as the output type `<name>` and the input type `<name>Input`: the
 * shape written is the shape read, and each field is declared (and labelled) once.
 */
export function ContentType(name: string, description: string): ClassDecorator {
  return (target) => {
    InputType(`${name}Input`, { description: `${description} (input)` })(target);
    ObjectType(name, { description })(target);
  };
}
