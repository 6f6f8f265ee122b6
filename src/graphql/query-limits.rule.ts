import {
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  getNamedType,
  getNullableType,
  GraphQLError,
  type GraphQLNamedType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  OperationTypeNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import { type CostHint, costHintOf } from 'src/common/cost/cost-hint.js';
import { ErrorCode } from 'src/common/errors/tandem-error.js';

export interface QueryLimits {
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxCost: number;
}

/** What an unbounded list is assumed to return when the query does not say (`first`). */
const ASSUMED_LIST_SIZE = 20;
/** The largest page the server serves: a variable `first` is costed at it, a larger one is refused later. */
const MAX_PAGE_SIZE = 100;
const DEFAULT_PAGE_SIZE = 20;
const STOP_COUNTING = 10_000_000;

interface Measure {
  depth: number;
  aliases: number;
  cost: number;
  /** Fields allowed a number of times per operation: how often this one asks for each. */
  limited: Map<string, { allowed: number; asked: number }>;
}

/**
 * What one fragment adds wherever it is spread (measured once per document, from depth 1 at
 * multiplier 1, by its name and whether a page is above it): a fragment spread twice by each of n
 * nested fragments would otherwise be walked 2^n times, and a request of a kilobyte could stall
 * the server.
 */
type FragmentMeasures = Map<string, Measure>;

const emptyMeasure = (): Measure => ({ depth: 0, aliases: 0, cost: 0, limited: new Map() });

/**
 * Refuses a document before execution when it nests too deep, uses too many aliases, would
 * resolve too many fields (each field costs 1, times the page size of every list above it; a field
 * that produces a number of items itself, such as an export, costs that number), or asks for a
 * field more often than its cost hint allows (one export per operation). Fragments are followed,
 * and a fragment already on the path is not followed again.
 */
export function queryLimitsRule(limits: QueryLimits) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    // Shared by every operation of the document: a fragment's measure depends on it alone, and a
    // document of thousands of operations spreading one large fragment must not walk it each time.
    const walker: Walker = { onPath: new Set(), fragments, measured: new Map(), context };
    const refuse = (message: string) =>
      context.reportError(new GraphQLError(message, { extensions: { code: ErrorCode.QUERY_TOO_COMPLEX } }));

    return {
      OperationDefinition(operation) {
        const schema = context.getSchema();
        const root =
          operation.operation === OperationTypeNode.QUERY
            ? schema.getQueryType()
            : operation.operation === OperationTypeNode.MUTATION
              ? schema.getMutationType()
              : schema.getSubscriptionType();
        const measure = emptyMeasure();
        walk(operation.selectionSet, root ?? undefined, 1, 1, measure, walker);
        for (const [field, { allowed, asked }] of measure.limited) {
          if (asked > allowed) refuse(`${field} may be asked for ${allowed === 1 ? 'once' : `${allowed} times`} per operation`);
        }
        if (measure.depth > limits.maxDepth) refuse(`Query depth ${measure.depth} exceeds the limit of ${limits.maxDepth}`);
        if (measure.aliases > limits.maxAliases)
          refuse(`Query uses ${measure.aliases} aliases; the limit is ${limits.maxAliases}`);
        if (measure.cost > limits.maxCost) refuse(`Query cost ${measure.cost} exceeds the limit of ${limits.maxCost}`);
        return false;
      },
    };
  };
}

/** What a walk of one operation shares: the fragments on the path, and each fragment's measure. */
interface Walker {
  readonly onPath: Set<string>;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  readonly measured: FragmentMeasures;
  readonly context: ValidationContext;
}

function walk(
  selectionSet: SelectionSetNode,
  parent: GraphQLNamedType | undefined,
  depth: number,
  multiplier: number,
  measure: Measure,
  walker: Walker,
  paged = false,
): void {
  // Already far over any limit: stop counting.
  if (measure.cost > STOP_COUNTING) return;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.alias) measure.aliases += 1;
      const definition =
        parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[selection.name.value] : undefined;
      const hint = costHintOf(definition?.extensions);
      const listed = definition ? isListType(getNullableType(definition.type)) : false;
      const size = hint?.sizeArgument ? sizeOf(selection, hint.sizeArgument) : undefined;
      // A field that produces its items itself (an export's file) costs them; a list's items are its children.
      measure.cost += multiplier * (size !== undefined && !listed ? size : 1);
      measure.depth = Math.max(measure.depth, depth);
      if (hint?.perOperation !== undefined && parent) {
        const key = `${parent.name}.${selection.name.value}`;
        const counted = measure.limited.get(key) ?? { allowed: hint.perOperation, asked: 0 };
        counted.asked += multiplier;
        measure.limited.set(key, counted);
      }
      if (!selection.selectionSet) continue;
      const fan = size !== undefined && listed ? size : fanOut(selection, definition, paged, hint);
      const child = definition ? getNamedType(definition.type) : undefined;
      walk(selection.selectionSet, child, depth + 1, multiplier * fan, measure, walker, definitionPaged(definition));
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const typed = selection.typeCondition ? walker.context.getSchema().getType(selection.typeCondition.name.value) : parent;
      walk(selection.selectionSet, typed ?? parent, depth, multiplier, measure, walker, paged);
    } else {
      const fragment = fragmentMeasure(selection.name.value, parent, paged, walker);
      if (fragment) add(measure, fragment, depth, multiplier);
    }
  }
}

/** A fragment's own measure, walked once per operation (null: unknown, or already on the path, a cycle). */
function fragmentMeasure(name: string, parent: GraphQLNamedType | undefined, paged: boolean, walker: Walker): Measure | null {
  const key = `${name}:${paged ? 'paged' : ''}`;
  const known = walker.measured.get(key);
  if (known) return known;
  const fragment = walker.fragments.get(name);
  if (!fragment || walker.onPath.has(name)) return null;
  walker.onPath.add(name);
  const typed = walker.context.getSchema().getType(fragment.typeCondition.name.value);
  const measure = emptyMeasure();
  walk(fragment.selectionSet, typed ?? parent, 1, 1, measure, walker, paged);
  walker.onPath.delete(name);
  walker.measured.set(key, measure);
  return measure;
}

/** Adds a fragment's measure where it is spread: at `depth`, each of its fields `multiplier` times. */
function add(measure: Measure, fragment: Measure, depth: number, multiplier: number): void {
  measure.cost += multiplier * fragment.cost;
  measure.aliases += fragment.aliases;
  if (fragment.depth > 0) measure.depth = Math.max(measure.depth, depth - 1 + fragment.depth);
  for (const [key, { allowed, asked }] of fragment.limited) {
    const counted = measure.limited.get(key) ?? { allowed, asked: 0 };
    counted.asked += multiplier * asked;
    measure.limited.set(key, counted);
  }
}

/**
 * How many times a field's selection runs per parent: a paginated field (one with `first`) runs
 * `first` times (the default page when absent), and the `edges` list right inside it adds nothing
 * more; a list whose cost hint gives its size holds that many; any other list is assumed to hold
 * ASSUMED_LIST_SIZE items.
 */
function fanOut(
  selection: FieldNode,
  definition: GraphQLField<unknown, unknown> | undefined,
  paged: boolean,
  hint: CostHint | undefined,
): number {
  if (!definition) return 1;
  if (definitionPaged(definition)) {
    return sizeOf(selection, { name: 'first', default: DEFAULT_PAGE_SIZE, max: MAX_PAGE_SIZE });
  }
  if (isListType(getNullableType(definition.type))) return hint?.listSize ?? (paged ? 1 : ASSUMED_LIST_SIZE);
  return 1;
}

/** The size an argument asks for: a literal (within 1…max), the largest for a variable, else the default. */
function sizeOf(selection: FieldNode, argument: NonNullable<CostHint['sizeArgument']>): number {
  const value = selection.arguments?.find((candidate) => candidate.name.value === argument.name)?.value;
  if (value?.kind === Kind.INT) return Math.min(argument.max, Math.max(1, Number(value.value)));
  return value?.kind === Kind.VARIABLE ? argument.max : argument.default;
}

function definitionPaged(definition: GraphQLField<unknown, unknown> | undefined): boolean {
  return definition?.args.some((argument) => argument.name === 'first') ?? false;
}
