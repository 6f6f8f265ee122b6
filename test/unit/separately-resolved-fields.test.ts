import { describe, expect, it } from 'vitest';
import type { Principal } from 'src/auth/principal.js';
import type { RecordView } from 'src/records/records.mappers.js';
import { RecordReader as RecordsService } from 'src/records/record-reader.service.js';
import { RecordLifecycleReader } from 'src/records/record-lifecycle-reader.service.js';

/** Fields with their own resolvers must honour the projection, not refetch what it withheld. */
describe('separately resolved record fields', () => {
  const service = new (RecordsService as unknown as new (...args: unknown[]) => RecordsService)();
  const lifecycle = new (RecordLifecycleReader as unknown as new (...args: unknown[]) => RecordLifecycleReader)();
  const view = { id: 'r1', withheld: [{ field: 'versions' }, { field: 'acknowledgements' }] } as unknown as RecordView;

  it('answers null for versions and acknowledgements the policy withheld', async () => {
    await expect(service.versions({} as Principal, view)).resolves.toBeNull();
    await expect(lifecycle.acknowledgements({} as Principal, view)).resolves.toBeNull();
  });
});
