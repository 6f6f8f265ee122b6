import { ChildFieldsResolver } from 'src/children/resolvers/child-fields.resolver.js';
import { ChildMutationResolver } from 'src/children/resolvers/child-mutation.resolver.js';
import { ChildQueryResolver } from 'src/children/resolvers/child-query.resolver.js';
import { DirectoryResolver } from 'src/children/resolvers/directory.resolver.js';

export const CHILDREN_RESOLVERS = [DirectoryResolver, ChildQueryResolver, ChildFieldsResolver, ChildMutationResolver];
