/**
 * The reference change-feed client: how a YOS case system keeps CSC plans in its own case file
 * without a person clicking. It finds the child Tandem holds (matchChild), links its own reference,
 * copies the child's current plans once, then follows `changes` from where it stopped, keeping
 * every plan version another agency published in a local JSON file.
 *
 *   npm run sync-client                      # development: Derby YOS ChildView acting for Dana Hughes
 *   TANDEM_URL=… TANDEM_TOKEN=… npm run sync-client
 *
 * Outside development TANDEM_TOKEN is the token your identity provider issued by token exchange
 * (RFC 8693): `sub` the practitioner, `act.sub` your system's client. A plain SYSTEM token works
 * too, but then plan content reads as null: a system alone never sees it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { ClientError, GraphQLClient } from 'graphql-request';

/** What the client keeps between runs: where it stopped in the feed, and the plans it copied. */
export interface SyncState {
  cursor: string | null;
  plans: Record<string, StoredPlan>;
}

export interface StoredPlan {
  readonly childId: string;
  readonly reference: string;
  readonly kind: string;
  readonly version: number;
  readonly owningAgency: string | null;
  readonly summary: string | null;
  readonly content: Record<string, unknown> | null;
}

export interface SyncOptions {
  readonly url: string;
  readonly token: string;
  /** The JSON file the case file is kept in. */
  readonly file: string;
  /** The child as your case system describes them, and your reference for them. */
  readonly child: { givenName: string; familyName: string; dateOfBirth: string; reference: string };
  readonly log?: (line: string) => void;
}

export interface SyncResult {
  readonly childId: string;
  readonly matchedBy: 'matchChild' | 'reference';
  readonly changesRead: number;
  readonly state: SyncState;
}

interface RecordNode {
  id: string;
  kind: string;
  category: string;
  version: number;
  owningAgency: { code: string; kind: string } | null;
  content?: Record<string, unknown> | null;
}

/** The plan fields this case file keeps, for every kind of plan (`content` is typed per kind). */
const RECORD_FIELDS = `id kind category version owningAgency { code kind }
  ... on CarePlan { content { summary nextReviewDate } }
  ... on DetentionPlacementPlan { content { establishmentName healthArrangements } }`;

const MATCH = `query($input: MatchChildInput!) { matchChild(input: $input) { outcome childId } }`;
const BY_REFERENCE = `query($reference: String!) { childByCaseReference(reference: $reference) { id } }`;
const LINK = `mutation($input: LinkCaseReferenceInput!) { linkCaseReference(input: $input) { id } }`;
const CURRENT = `query($id: ID!) { child(id: $id) { records(first: 100) { edges { node { ${RECORD_FIELDS} } } } } }`;
const CHANGES = `query($after: String) { changes(after: $after, first: 100) {
  edges { node { position kind child { id } record { ${RECORD_FIELDS} } } }
  pageInfo { endCursor hasNextPage } } }`;

type Changes = {
  changes: {
    edges: { node: { position: string; kind: string; child: { id: string }; record: RecordNode | null } }[];
    pageInfo: { endCursor: string | null; hasNextPage: boolean };
  };
};

export async function syncCarePlans(options: SyncOptions): Promise<SyncResult> {
  const log = options.log ?? (() => undefined);
  const client = new GraphQLClient(options.url, {
    headers: { authorization: `Bearer ${options.token}`, 'x-purpose-of-use': 'CASE_MANAGEMENT' },
  });
  const state = load(options.file);
  const { childId, matchedBy } = await findChild(client, options.child);
  log(`Child ${childId} found by ${matchedBy}`);
  await link(client, childId, options.child.reference, log);
  const keep = (record: RecordNode | null, forChild: string) => {
    // This case file keeps children's social care's plans about the child it linked.
    if (!record || forChild !== childId || record.category !== 'PLAN') return;
    if (record.owningAgency?.kind !== 'CHILDRENS_SOCIAL_CARE') return;
    const known = state.plans[record.id];
    if (known && known.version >= record.version) return;
    const content = record.content ?? null;
    const summary = typeof content?.summary === 'string' ? content.summary : null;
    state.plans[record.id] = {
      childId: forChild,
      reference: options.child.reference,
      kind: record.kind,
      version: record.version,
      owningAgency: record.owningAgency?.code ?? null,
      summary,
      content,
    };
    log(`${record.kind} v${record.version} of ${options.child.reference} kept`);
  };
  if (state.cursor === null) {
    // The feed carries changes from when Tandem recorded them: the first run copies what is current.
    const current = await client.request<{ child: { records: { edges: { node: RecordNode }[] } } }>(CURRENT, { id: childId });
    for (const edge of current.child.records.edges) keep(edge.node, childId);
  }
  let changesRead = 0;
  for (;;) {
    const page = await client.request<Changes>(CHANGES, { after: state.cursor });
    for (const { node } of page.changes.edges) {
      changesRead += 1;
      if (node.kind === 'RECORD') keep(node.record, node.child.id);
    }
    state.cursor = page.changes.pageInfo.endCursor ?? state.cursor;
    // Saved after each page, so a run that stops resumes where it left off.
    save(options.file, state);
    if (!page.changes.pageInfo.hasNextPage || page.changes.edges.length === 0) break;
  }
  save(options.file, state);
  return { childId, matchedBy, changesRead, state };
}

/** matchChild where the gateway has it; otherwise the child by your own reference. */
async function findChild(
  client: GraphQLClient,
  child: SyncOptions['child'],
): Promise<{ childId: string; matchedBy: SyncResult['matchedBy'] }> {
  try {
    const description = { givenName: child.givenName, familyName: child.familyName, dateOfBirth: child.dateOfBirth };
    const found = await client.request<{ matchChild: { outcome: string; childId: string | null } }>(MATCH, {
      input: description,
    });
    if (found.matchChild.outcome === 'CONFIDENT' && found.matchChild.childId) {
      return { childId: found.matchChild.childId, matchedBy: 'matchChild' };
    }
    throw new Error(`No confident match (${found.matchChild.outcome}): a practitioner must review it in Tandem`);
  } catch (error) {
    // A gateway without matchChild in its schema: look the child up by the reference you hold.
    if (!hasCode(error, 'GRAPHQL_VALIDATION_FAILED')) throw error;
  }
  const found = await client.request<{ childByCaseReference: { id: string } }>(BY_REFERENCE, { reference: child.reference });
  return { childId: found.childByCaseReference.id, matchedBy: 'reference' };
}

/** Links your reference; already linked (CONFLICT) is fine, and a gateway without linkCaseReference needs none. */
async function link(client: GraphQLClient, childId: string, reference: string, log: (line: string) => void): Promise<void> {
  try {
    await client.request(LINK, { input: { childId, reference } });
    log(`Reference ${reference} linked`);
  } catch (error) {
    if (hasCode(error, 'CONFLICT')) log(`Reference ${reference} already linked`);
    else if (!hasCode(error, 'GRAPHQL_VALIDATION_FAILED')) throw error;
  }
}

function hasCode(error: unknown, code: string): boolean {
  return error instanceof ClientError && (error.response.errors ?? []).some((item) => item.extensions?.code === code);
}

function load(file: string): SyncState {
  if (!existsSync(file)) return { cursor: null, plans: {} };
  return JSON.parse(readFileSync(file, 'utf8')) as SyncState;
}

function save(file: string, state: SyncState): void {
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
}
