import { connect } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DisclosureService } from 'src/disclosure/disclosure.service.js';
import { NotificationDispatcher } from 'src/notifications/dispatcher.service.js';
import { codes, startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN } from '../support/demo-ids.js';

let t: TestApp;
let port: number;

beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = Number(new URL(await t.app.getUrl()).port);
});
afterAll(() => t.close());

interface RawResponse {
  readonly status: number;
  readonly headers: string;
  readonly body: { errors?: { message: string; extensions: { code: string } }[] };
  /** Whether every byte of the request was written without the connection failing. */
  readonly sentEverything: boolean;
}

/**
 * A POST over a plain socket whose body is written in chunks, each after the last was taken, as a
 * client on a real network does; resolves with what came back once the server closed.
 */
function rawPost(bodyBytes: number, contentType = 'application/json'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let written = 0;
    let failed = false;
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', () => (failed = true));
    socket.on('close', () => {
      const text = Buffer.concat(received).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
      if (!status) {
        reject(new Error(`no response (written ${written} bytes)`));
        return;
      }
      resolve({ status, headers: head.toLowerCase(), body: JSON.parse(body) as RawResponse['body'], sentEverything: !failed });
    });
    socket.write(
      `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: ${contentType}\r\ncontent-length: ${bodyBytes}\r\n\r\n`,
    );
    const chunk = Buffer.alloc(16 * 1024, 'x');
    const pump = () => {
      while (written < bodyBytes && !failed) {
        const piece = chunk.subarray(0, Math.min(chunk.length, bodyBytes - written));
        written += piece.length;
        if (!socket.write(piece)) {
          socket.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
}

describe('a body over GRAPHQL_MAX_BODY_BYTES', () => {
  it('gets 413 PAYLOAD_TOO_LARGE in the GraphQL error shape, readable after the client has sent it', async () => {
    const response = await rawPost(t.config.graphql.maxBodyBytes * 8);
    expect(response.sentEverything).toBe(true);
    expect(response.status).toBe(413);
    expect(response.headers).toContain('connection: close');
    expect(response.body.errors?.[0]?.extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('gets the same through an ordinary client', async () => {
    const padding = 'x'.repeat(t.config.graphql.maxBodyBytes + 1);
    const response = await request(t.app.getHttpServer())
      .post('/graphql')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ query: `{ __typename } # ${padding}` }));
    expect(response.status).toBe(413);
    expect((response.body as RawResponse['body']).errors?.[0]?.extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('media types and batches', () => {
  it.each([
    ['application/x-www-form-urlencoded', 'query=%7B__typename%7D'],
    ['text/plain', '{"query":"{ __typename }"}'],
    ['multipart/form-data; boundary=x', '--x--'],
  ])('refuses a POST of %s with 415', async (type, body) => {
    const response = await request(t.app.getHttpServer()).post('/graphql').set('content-type', type).send(body);
    expect(response.status).toBe(415);
    expect((response.body as RawResponse['body']).errors?.[0]?.extensions.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('says that batching is off when sent a batched array', async () => {
    const response = await request(t.app.getHttpServer())
      .post('/graphql')
      .set('content-type', 'application/json')
      .send([{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(response.status).toBe(400);
    const error = (response.body as RawResponse['body']).errors?.[0];
    expect(error?.message).toMatch(/[Bb]atched operations are not accepted/);
    expect(error?.extensions.code).toBe('BAD_USER_INPUT');
  });

  it('takes a query only as a string: an array or a number is not made into one', async () => {
    const server = t.app.getHttpServer();
    const sent = [
      request(server)
        .post('/graphql')
        .set('content-type', 'application/json')
        .send({ query: ['{ __typename }'] }),
      request(server).post('/graphql').set('content-type', 'application/json').send({ query: 7 }),
      request(server).get('/graphql?query=%7B__typename%7D&query=%7B__typename%7D'),
    ];
    for (const response of await Promise.all(sent)) {
      expect(response.status).toBe(400);
      const error = (response.body as RawResponse['body']).errors?.[0];
      expect(error?.message).toBe('query must be a string');
      expect(error?.extensions.code).toBe('BAD_USER_INPUT');
    }
  });
});

describe('caching', () => {
  it('marks every response no-store: data, errors and refusals alike', async () => {
    const data = await t.gql('dana.hughes', `query($id: ID!) { child(id: $id) { givenName } }`, { id: JORDAN.id });
    expect(data.body.errors).toBeUndefined();
    const refused = await t.gql(null, '{ children { edges { cursor } } }');
    const form = await request(t.app.getHttpServer()).post('/graphql').set('content-type', 'text/plain').send('x');
    const get = await request(t.app.getHttpServer()).get('/graphql?query=%7B__typename%7D');
    for (const response of [data, refused, form, get]) expect(response.headers['cache-control']).toBe('no-store');
  });
});

describe('when receipts cannot be written', () => {
  const PLACEMENT = `mutation($input: RecordPlacementChangeInput!) { recordPlacementChange(input: $input) { id } }`;
  const FEED = '{ notifications(first: 10) { edges { node { id type } } } }';

  it('the notifications feed answers 503 with the disclosure log’s error and no data', async () => {
    const change = await t.gql('sam.okafor', PLACEMENT, {
      input: {
        childId: JORDAN.id,
        placementType: 'FOSTER_CARE',
        address: '3 Feed Street, Derby',
        areaLocalAuthority: 'derby',
        reason: 'Planned move',
        plannedDate: '2030-04-01',
      },
    });
    expect(change.body.errors).toBeUndefined();
    await t.app.get(NotificationDispatcher).drain();
    const before = await t.gql<{ notifications: { edges: unknown[] } }>('derby-yos-integration', FEED);
    expect(before.body.data?.notifications.edges.length).toBeGreaterThan(0);
    t.app.get(DisclosureService).failNextCommits(1);
    const failed = await t.gql('derby-yos-integration', FEED);
    expect(failed.status).toBe(503);
    expect(failed.body.data).toBeNull();
    expect(codes(failed)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(failed.body.errors?.[0]?.message).toMatch(/disclosure log could not record this response/);
    expect(JSON.stringify(failed.body)).not.toContain('Feed Street');
  });

  it('an auditor’s query answers the same', async () => {
    t.app.get(DisclosureService).failNextCommits(1);
    const failed = await t.gql('audrey.fox', '{ disclosures(first: 1) { edges { node { id } } } }', {}, { purpose: 'AUDIT' });
    expect(failed.status).toBe(503);
    expect(failed.body.data).toBeNull();
    expect(failed.body.errors?.[0]?.message).toMatch(/disclosure log could not record this response/);
  });
});
